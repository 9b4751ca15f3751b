//! Image files on disk: which files in a folder are images, and decoding one into RGB pixels.
//!
//! An I/O edge: the only place that reads image files. Frames are decoded in memory and never
//! written anywhere.

pub mod huffman;

use std::borrow::Cow;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

/// File extensions (lower case) taken from a folder; other files there (notes, manifests) are
/// skipped. These are the formats this build decodes.
pub const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "bmp", "webp"];

/// An image path that cannot be used, and why.
#[derive(Debug, thiserror::Error)]
pub enum ImageInputError {
    /// Nothing at that path.
    #[error("{path}: no such file or folder")]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// A folder that cannot be listed.
    #[error("{path}: cannot list folder: {source}")]
    UnreadableFolder {
        /// The folder.
        path: PathBuf,
        /// Why listing failed.
        source: std::io::Error,
    },
    /// A folder with no image files in it.
    #[error("{path}: folder holds no images (looked for {})", IMAGE_EXTENSIONS.join(", "))]
    EmptyFolder {
        /// The folder.
        path: PathBuf,
    },
    /// A file that cannot be opened.
    #[error("{path}: cannot open: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why opening failed.
        source: std::io::Error,
    },
    /// A file that is not an image this build can decode, or a damaged one.
    #[error("{path}: not a readable image ({reason}); supported formats: {}", IMAGE_EXTENSIONS.join(", "))]
    NotAnImage {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        reason: String,
    },
}

/// Whether `path` has one of [`IMAGE_EXTENSIONS`] (any case).
pub fn has_image_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| IMAGE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()))
}

/// Expands each path: a file stays as it is (whatever its extension, so a wrong file is reported
/// rather than skipped); a folder becomes its image files, sorted by name. Each entry is either a
/// file to decode or the reason a given path yielded nothing.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, ImageInputError>> {
    let mut expanded = Vec::new();
    for path in paths {
        if path.is_dir() {
            match images_in_folder(path) {
                Ok(files) if files.is_empty() => {
                    expanded.push(Err(ImageInputError::EmptyFolder { path: path.clone() }))
                }
                Ok(files) => expanded.extend(files.into_iter().map(Ok)),
                Err(error) => expanded.push(Err(error)),
            }
        } else if path.exists() {
            expanded.push(Ok(path.clone()));
        } else {
            expanded.push(Err(ImageInputError::NotFound { path: path.clone() }));
        }
    }
    expanded
}

/// The image files directly inside `folder`, sorted by file name.
pub fn images_in_folder(folder: &Path) -> Result<Vec<PathBuf>, ImageInputError> {
    let unreadable = |source| ImageInputError::UnreadableFolder { path: folder.to_owned(), source };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.is_file() && has_image_extension(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The two bytes every JPEG file starts with (start of image).
const JPEG_MAGIC: [u8; 2] = [0xFF, 0xD8];

/// Largest JPEG decoded, in pixels (a 100-megapixel photo); a header claiming more is refused
/// before anything is allocated for it.
const JPEG_MAX_PIXELS: usize = 100_000_000;

/// From this many pixels (1280x720) a JPEG is decoded by libjpeg-turbo (on Linux), below it by
/// `image`'s pure-Rust decoder. The two round a few pixels differently (chroma upsampling, IDCT);
/// at HD sizes and above that vanishes in the area average down to the model's 192 px (the
/// verdicts on `../shared/eval/front`'s 1080p photos are the same with either), but on small
/// frames it moves borderline verdicts (on `../shared/eval/people`'s 224 px frames, 4-6 of one
/// person's 109 slouched frames), and the posture rules were judged on `image`'s decoding. Small
/// frames decode in about a millisecond either way.
#[cfg(target_os = "linux")]
const LARGE_JPEG_PIXELS: usize = 1280 * 720;

/// Decodes JPEG bytes (a camera's MJPEG frame, a photo) to RGB. On Linux frames of
/// [`LARGE_JPEG_PIXELS`] or more go to libjpeg-turbo, the decoder OpenCV uses: on detailed 1080p
/// photos it takes 12-28% less time than the pure-Rust one (docs/PERFORMANCE.md); elsewhere
/// (Windows) `image` decodes every size. A frame cut short is an error: a damaged frame is skipped
/// rather than judged. A JPEG without Huffman tables (an MJPEG camera frame) gets the standard ones
/// first ([`huffman::with_huffman_tables`]).
pub fn decode_jpeg(bytes: &[u8]) -> Result<RgbImage, String> {
    let bytes = &huffman::with_huffman_tables(bytes)[..];
    #[cfg(target_os = "linux")]
    {
        decode_with_turbo(bytes)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let (width, height) = image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes))
            .map(|decoder| decoder.dimensions())
            .map_err(|error| error.to_string())?;
        check_jpeg_size(width as usize, height as usize)?;
        if !ends_whole(bytes) {
            return Err("the picture is cut short (no end-of-image marker)".to_owned());
        }
        decode_with_image(bytes)
    }
}

/// Refuses a JPEG whose header claims no pixels or more than [`JPEG_MAX_PIXELS`], before
/// anything is allocated for it.
fn check_jpeg_size(width: usize, height: usize) -> Result<(), String> {
    if width == 0 || height == 0 || width.saturating_mul(height) > JPEG_MAX_PIXELS {
        return Err(format!(
            "the picture claims {width}x{height} pixels; slouchwatch decodes pictures of 1 to \
             {JPEG_MAX_PIXELS} pixels: use a smaller copy of it"
        ));
    }
    Ok(())
}

/// `image`'s pure-Rust JPEG decoder.
fn decode_with_image(bytes: &[u8]) -> Result<RgbImage, String> {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
        .map(|image| image.into_rgb8())
        .map_err(|error| error.to_string())
}

/// Bytes a camera may pad an MJPEG frame with after its end-of-image marker.
#[cfg(not(target_os = "linux"))]
const JPEG_TAIL_PADDING: usize = 1024;

/// Whether the JPEG's end-of-image marker (FF D9) is there, near the end: `image`'s decoder
/// fills a stream cut short with grey rather than failing (libjpeg-turbo warns, and that is an
/// error there).
#[cfg(not(target_os = "linux"))]
fn ends_whole(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(JPEG_TAIL_PADDING)..];
    tail.windows(2).any(|pair| pair == [0xFF, 0xD9])
}

/// libjpeg-turbo, one decoder per thread. Anything it warns about (a frame cut short) is an
/// error.
#[cfg(target_os = "linux")]
fn decode_with_turbo(bytes: &[u8]) -> Result<RgbImage, String> {
    thread_local! {
        static DECOMPRESSOR: std::cell::RefCell<Option<turbojpeg::Decompressor>> =
            const { std::cell::RefCell::new(None) };
    }
    DECOMPRESSOR.with_borrow_mut(|slot| {
        // Taken out for the call and put back only after a clean decode: after an error
        // libjpeg-turbo's handle keeps the failed stream's state and misreads the next frame.
        let mut decompressor = match slot.take() {
            Some(decompressor) => decompressor,
            None => turbojpeg::Decompressor::new().map_err(|error| error.to_string())?,
        };
        let decoded = decode_with(&mut decompressor, bytes)?;
        *slot = Some(decompressor);
        Ok(decoded)
    })
}

/// [`decode_with_turbo`] with the thread's libjpeg-turbo handle (which also reads the size of a
/// small frame before `image` decodes it).
#[cfg(target_os = "linux")]
fn decode_with(decompressor: &mut turbojpeg::Decompressor, bytes: &[u8]) -> Result<RgbImage, String> {
    let header = decompressor.read_header(bytes).map_err(|error| error.to_string())?;
    let (width, height) = (header.width, header.height);
    check_jpeg_size(width, height)?;
    if width * height < LARGE_JPEG_PIXELS {
        return decode_with_image(bytes);
    }
    let mut pixels = vec![0; width * height * 3];
    let output = turbojpeg::Image {
        pixels: &mut pixels[..],
        width,
        pitch: width * 3,
        height,
        format: turbojpeg::PixelFormat::RGB,
    };
    decompressor.decompress(bytes, output).map_err(|error| error.to_string())?;
    RgbImage::from_raw(width as u32, height as u32, pixels).ok_or_else(|| "decoded size mismatch".to_owned())
}

/// Decodes an image file to RGB, turned upright by its EXIF orientation (phone photos).
/// The format is taken from the file's content, not its name; JPEG pixels come from
/// [`decode_jpeg`], other formats from `image`.
pub fn load_rgb(path: &Path) -> Result<RgbImage, ImageInputError> {
    let not_an_image =
        |error: image::ImageError| ImageInputError::NotAnImage { path: path.to_owned(), reason: error.to_string() };
    let mut bytes =
        std::fs::read(path).map_err(|source| ImageInputError::Unreadable { path: path.to_owned(), source })?;
    if let Cow::Owned(filled) = huffman::with_huffman_tables(&bytes) {
        // A JPEG without Huffman tables (frames saved from an MJPEG camera): `image` reads its
        // orientation only once the tables are there.
        bytes = filled;
    }
    let reader = ImageReader::new(Cursor::new(&bytes[..]))
        .with_guessed_format()
        .map_err(|source| ImageInputError::Unreadable { path: path.to_owned(), source })?;
    let mut decoder = reader.into_decoder().map_err(not_an_image)?;
    let orientation = decoder.orientation().map_err(not_an_image)?;
    let mut image = if bytes.starts_with(&JPEG_MAGIC) {
        drop(decoder);
        let pixels =
            decode_jpeg(&bytes).map_err(|reason| ImageInputError::NotAnImage { path: path.to_owned(), reason })?;
        DynamicImage::ImageRgb8(pixels)
    } else {
        DynamicImage::from_decoder(decoder).map_err(not_an_image)?
    };
    image.apply_orientation(orientation);
    Ok(image.into_rgb8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_image_extensions_in_any_case() {
        assert!(has_image_extension(Path::new("a/b.JPG")));
        assert!(has_image_extension(Path::new("frame_001.png")));
        assert!(!has_image_extension(Path::new("MANIFEST.tsv")));
        assert!(!has_image_extension(Path::new("noextension")));
    }

    #[test]
    fn folders_expand_to_sorted_images_and_missing_paths_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.png", "a.jpg", "notes.txt", "c.PNG"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let empty = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.png");
        let expanded = expand_paths(&[dir.path().to_owned(), missing.clone(), empty.path().to_owned()]);
        let names: Vec<String> = expanded[..3]
            .iter()
            .map(|entry| entry.as_ref().unwrap().file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.jpg", "b.png", "c.PNG"]);
        assert!(matches!(&expanded[3], Err(ImageInputError::NotFound { path }) if *path == missing));
        assert!(matches!(&expanded[4], Err(ImageInputError::EmptyFolder { .. })));
        assert_eq!(expanded.len(), 5);
    }

    #[test]
    fn a_text_file_is_not_an_image() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fake.jpg");
        std::fs::write(&path, b"definitely not a jpeg").unwrap();
        let error = load_rgb(&path).unwrap_err();
        assert!(matches!(error, ImageInputError::NotAnImage { .. }), "{error}");
        assert!(error.to_string().contains("fake.jpg"));
    }

    #[test]
    fn a_truncated_png_is_not_an_image() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.png");
        let image = RgbImage::from_pixel(64, 48, image::Rgb([1, 2, 3]));
        image.save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(matches!(load_rgb(&path), Err(ImageInputError::NotAnImage { .. })));
    }

    #[test]
    fn decodes_by_content_not_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("really-a-png.jpg");
        RgbImage::from_pixel(5, 3, image::Rgb([9, 8, 7])).save_with_format(&path, image::ImageFormat::Png).unwrap();
        let image = load_rgb(&path).unwrap();
        assert_eq!(image.dimensions(), (5, 3));
        assert_eq!(image.get_pixel(4, 2).0, [9, 8, 7]);
    }

    /// A detailed HD picture (gradients and fine noise, like a camera's), JPEG at quality 90.
    fn hd_jpeg() -> (RgbImage, Vec<u8>) {
        let (width, height) = (1280, 720);
        let picture = RgbImage::from_fn(width, height, |x, y| {
            let noise = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 24;
            image::Rgb([(x * 200 / width + noise) as u8, (y * 200 / height + noise) as u8, (noise * 9) as u8])
        });
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&picture).unwrap();
        (picture, bytes)
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn large_jpegs_decode_with_libjpeg_turbo_like_the_rust_decoder() {
        let (_, bytes) = hd_jpeg();
        let turbo = decode_jpeg(&bytes).unwrap();
        let rust = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).unwrap().into_rgb8();
        assert_eq!(turbo.dimensions(), rust.dimensions());
        let differences: Vec<u32> =
            turbo.as_raw().iter().zip(rust.as_raw()).map(|(a, b)| u32::from(a.abs_diff(*b))).collect();
        let mean = differences.iter().sum::<u32>() as f64 / differences.len() as f64;
        assert!(mean < 1.0, "the decoders differ by {mean:.2} grey levels on average");
        assert!(differences.iter().any(|&difference| difference > 0), "this picture went through libjpeg-turbo");
    }

    #[test]
    fn a_cut_short_large_jpeg_is_an_error_not_a_grey_picture() {
        let (_, bytes) = hd_jpeg();
        let error = decode_jpeg(&bytes[..bytes.len() / 2]).unwrap_err();
        assert!(!error.is_empty());
        assert!(decode_jpeg(b"\xff\xd8\xff not a jpeg").is_err());
        // The thread's decoder reads the next good frame after those errors.
        assert_eq!(decode_jpeg(&bytes).unwrap().dimensions(), (1280, 720));
    }

    #[test]
    fn a_jpeg_without_huffman_tables_decodes_to_the_same_pixels() {
        let small = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/astronaut-wide.jpg")).unwrap();
        let (_, large) = hd_jpeg();
        for jpeg in [small, large] {
            let stripped = huffman::without_huffman_tables(&jpeg);
            assert!(stripped.len() < jpeg.len());
            let plain = image::load_from_memory_with_format(&stripped, image::ImageFormat::Jpeg);
            assert!(plain.is_err(), "without the tables `image` alone cannot read it");
            let original = decode_jpeg(&jpeg).unwrap();
            assert_eq!(decode_jpeg(&stripped).unwrap(), original);
        }
        // Files too.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-tables.jpg");
        let jpeg = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/astronaut-wide.jpg")).unwrap();
        std::fs::write(&path, huffman::without_huffman_tables(&jpeg)).unwrap();
        assert_eq!(load_rgb(&path).unwrap(), decode_jpeg(&jpeg).unwrap());
    }

    #[test]
    fn a_large_jpeg_file_loads_through_load_rgb() {
        let (picture, bytes) = hd_jpeg();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frame.jpg");
        std::fs::write(&path, &bytes).unwrap();
        let loaded = load_rgb(&path).unwrap();
        assert_eq!(loaded.dimensions(), picture.dimensions());
        let centre = |image: &RgbImage| image.get_pixel(640, 360).0[0];
        assert!(centre(&loaded).abs_diff(centre(&picture)) < 12);
    }
}
