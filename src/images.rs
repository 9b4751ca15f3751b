//! Image files on disk: which files in a folder are images, and decoding one into RGB pixels.
//!
//! An I/O edge: the only place that reads image files. Frames are decoded in memory and never
//! written anywhere.

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

/// Decodes an image file to RGB, turned upright by its EXIF orientation (phone photos).
/// The format is taken from the file's content, not its name.
pub fn load_rgb(path: &Path) -> Result<RgbImage, ImageInputError> {
    let not_an_image =
        |error: image::ImageError| ImageInputError::NotAnImage { path: path.to_owned(), reason: error.to_string() };
    let reader = ImageReader::open(path)
        .and_then(|reader| reader.with_guessed_format())
        .map_err(|source| ImageInputError::Unreadable { path: path.to_owned(), source })?;
    let mut decoder = reader.into_decoder().map_err(not_an_image)?;
    let orientation = decoder.orientation().map_err(not_an_image)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(not_an_image)?;
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
}
