//! MJPEG frames without Huffman tables, and JPEG frames cut short (pure byte work, no decoding).
//!
//! USB video cameras may send MJPEG frames with no DHT (Huffman table) segment: the UVC payload
//! format lets them leave out the tables, which are then the "typical" ones of the JPEG standard
//! (ITU-T T.81 Annex K.3, the tables the OpenDML AVI MJPEG specification makes implicit).
//! libjpeg-turbo's own decoder supplies them; `image`'s decoder (zune-jpeg) does only when an
//! "AVI1" APP0 marker is present, which many cameras omit. So the tables are written into every
//! JPEG that lacks them before any decoder sees it, for camera frames and files alike.
//!
//! A frame cut short by a USB hiccup can still decode "fine", its missing rows filled with grey;
//! [`ends_cleanly`] refuses a JPEG without its end-of-image marker, so such a frame is skipped
//! rather than judged.

use std::borrow::Cow;

/// Marker bytes (ITU-T T.81 Table B.1).
const MARKER: u8 = 0xFF;
/// Start of image.
const SOI: u8 = 0xD8;
/// End of image.
const EOI: u8 = 0xD9;
/// Start of scan: the entropy-coded data follows, so every table must be defined by then.
const SOS: u8 = 0xDA;
/// Define Huffman tables.
const DHT: u8 = 0xC4;

const DC_LUMA_COUNTS: [u8; 16] =
    [0x00, 0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
const DC_LUMA_SYMBOLS: [u8; 12] = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B];
const DC_CHROMA_COUNTS: [u8; 16] =
    [0x00, 0x03, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00];
const DC_CHROMA_SYMBOLS: [u8; 12] = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B];
const AC_LUMA_COUNTS: [u8; 16] =
    [0x00, 0x02, 0x01, 0x03, 0x03, 0x02, 0x04, 0x03, 0x05, 0x05, 0x04, 0x04, 0x00, 0x00, 0x01, 0x7D];
const AC_LUMA_SYMBOLS: [u8; 162] = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14,
    0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09,
    0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A,
    0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65,
    0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
    0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9,
    0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA,
    0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA,
    0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
];
const AC_CHROMA_COUNTS: [u8; 16] =
    [0x00, 0x02, 0x01, 0x02, 0x04, 0x04, 0x03, 0x04, 0x07, 0x05, 0x04, 0x04, 0x00, 0x01, 0x02, 0x77];
const AC_CHROMA_SYMBOLS: [u8; 162] = [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32,
    0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0, 0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16,
    0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38, 0x39,
    0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64,
    0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x82, 0x83, 0x84, 0x85, 0x86,
    0x87, 0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
    0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8,
    0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9,
    0xEA, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
];

/// The four standard tables as (table class and id, code counts per length, symbols): DC 0
/// (luminance), DC 1 (chrominance), AC 0, AC 1.
const STANDARD_TABLES: [(u8, &[u8; 16], &[u8]); 4] = [
    (0x00, &DC_LUMA_COUNTS, &DC_LUMA_SYMBOLS),
    (0x01, &DC_CHROMA_COUNTS, &DC_CHROMA_SYMBOLS),
    (0x10, &AC_LUMA_COUNTS, &AC_LUMA_SYMBOLS),
    (0x11, &AC_CHROMA_COUNTS, &AC_CHROMA_SYMBOLS),
];

/// The DHT segment holding the four standard tables, marker included.
fn standard_dht_segment() -> Vec<u8> {
    let length: usize =
        2 + STANDARD_TABLES.iter().map(|(_, counts, symbols)| 1 + counts.len() + symbols.len()).sum::<usize>();
    let mut segment = Vec::with_capacity(2 + length);
    segment.extend_from_slice(&[MARKER, DHT]);
    segment.extend_from_slice(&(length as u16).to_be_bytes());
    for (class_and_id, counts, symbols) in STANDARD_TABLES {
        segment.push(class_and_id);
        segment.extend_from_slice(counts);
        segment.extend_from_slice(symbols);
    }
    segment
}

/// Where the first start-of-scan marker begins, and whether a DHT segment comes before it.
/// `None` when the bytes are not a JPEG laid out as markers up to a scan (the decoder then says
/// what is wrong).
fn scan_start(bytes: &[u8]) -> Option<(usize, bool)> {
    if bytes.get(..2)? != [MARKER, SOI] {
        return None;
    }
    let mut at = 2;
    let mut has_tables = false;
    loop {
        if *bytes.get(at)? != MARKER {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Fill bytes before a marker.
            MARKER => at += 1,
            SOS => return Some((at, has_tables)),
            // Markers without a length (restart markers, TEM).
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                has_tables |= marker == DHT;
                let length = u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]) as usize;
                if length < 2 {
                    return None;
                }
                at += 2 + length;
            }
        }
    }
}

/// The JPEG with the standard Huffman tables written in before its scan when it has none (an
/// MJPEG camera frame); otherwise the bytes as they are.
pub fn with_huffman_tables(bytes: &[u8]) -> Cow<'_, [u8]> {
    match scan_start(bytes) {
        Some((scan, false)) => {
            let segment = standard_dht_segment();
            let mut filled = Vec::with_capacity(bytes.len() + segment.len());
            filled.extend_from_slice(&bytes[..scan]);
            filled.extend_from_slice(&segment);
            filled.extend_from_slice(&bytes[scan..]);
            Cow::Owned(filled)
        }
        _ => Cow::Borrowed(bytes),
    }
}

/// Whether the JPEG ends with its end-of-image marker (after any zero padding a camera's buffer
/// may add): a frame without it was cut short.
pub fn ends_cleanly(bytes: &[u8]) -> bool {
    let end = bytes.iter().rposition(|&byte| byte != 0).map_or(0, |last| last + 1);
    end >= 4 && bytes[end - 2..end] == [MARKER, EOI]
}

/// The same JPEG without its DHT segments, as a camera that leaves out its tables sends it.
#[cfg(test)]
pub fn without_huffman_tables(bytes: &[u8]) -> Vec<u8> {
    let (scan, _) = scan_start(bytes).expect("a JPEG");
    let mut stripped = bytes[..2].to_vec();
    let mut at = 2;
    while at < scan {
        let marker = bytes[at + 1];
        let length = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        if marker != DHT {
            stripped.extend_from_slice(&bytes[at..at + 2 + length]);
        }
        at += 2 + length;
    }
    stripped.extend_from_slice(&bytes[scan..]);
    stripped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_tables_are_complete() {
        for (_, counts, symbols) in STANDARD_TABLES {
            assert_eq!(counts.iter().map(|&count| count as usize).sum::<usize>(), symbols.len());
        }
        // Two DC tables of 12 symbols and two AC tables of 162 (T.81 K.3).
        assert_eq!(standard_dht_segment().len(), 4 + 4 * 17 + 2 * 12 + 2 * 162);
    }

    #[test]
    fn tables_are_added_only_where_missing() {
        let jpeg = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/astronaut-wide.jpg")).unwrap();
        assert!(matches!(with_huffman_tables(&jpeg), Cow::Borrowed(_)));
        let stripped = without_huffman_tables(&jpeg);
        assert_eq!(scan_start(&stripped).map(|(_, tables)| tables), Some(false));
        let filled = with_huffman_tables(&stripped);
        assert_eq!(scan_start(&filled).map(|(_, tables)| tables), Some(true));
        assert_eq!(filled.len(), stripped.len() + standard_dht_segment().len());
        // Not a JPEG: left for the decoder to refuse.
        assert!(matches!(with_huffman_tables(b"not a jpeg"), Cow::Borrowed(_)));
        assert!(matches!(with_huffman_tables(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00]), Cow::Borrowed(_)));
    }

    #[test]
    fn a_jpeg_without_its_end_marker_was_cut_short() {
        let jpeg = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/astronaut-wide.jpg")).unwrap();
        assert!(ends_cleanly(&jpeg));
        let mut padded = jpeg.clone();
        padded.extend_from_slice(&[0; 64]);
        assert!(ends_cleanly(&padded), "a camera's zero padding after the end marker is fine");
        assert!(!ends_cleanly(&jpeg[..jpeg.len() - 100]));
        assert!(!ends_cleanly(&[0; 16]));
    }
}
