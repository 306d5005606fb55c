//! The photo pipeline. A phone photo becomes two small JPEGs (full size and thumbnail) with no
//! metadata at all; where the original says it was taken is offered to the reporter as a
//! location suggestion and never stored. Everything that could be hostile is refused from the
//! header, before a pixel is decoded: non-images by their magic bytes, decompression bombs by
//! their dimensions, and decoding runs under memory limits.

use std::io::{Cursor, Read};
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq)]
pub struct PhotoLimits {
    pub max_input_bytes: u64,
    pub max_pixels: u64,
    pub max_dimension: u32,
    pub max_alloc_bytes: u64,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        PhotoLimits {
            max_input_bytes: 25 * 1024 * 1024,
            max_pixels: 50_000_000,
            max_dimension: 12_000,
            max_alloc_bytes: 256 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PhotoOptions {
    pub long_edge: u32,
    pub thumb_edge: u32,
    pub jpeg_quality: u8,
    pub thumb_quality: u8,
    pub limits: PhotoLimits,
}

impl Default for PhotoOptions {
    fn default() -> Self {
        PhotoOptions {
            long_edge: 1600,
            thumb_edge: 320,
            jpeg_quality: 78,
            thumb_quality: 70,
            limits: PhotoLimits::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EncodedImage {
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GpsSuggestion {
    pub latitude: f64,
    pub longitude: f64,
    pub altitude_m: Option<f64>,
    pub accuracy_m: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProcessedPhoto {
    pub full: EncodedImage,
    pub thumb: EncodedImage,
    pub gps: Option<GpsSuggestion>,
    pub source_format: String,
    pub source_width: u32,
    pub source_height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("empty input")]
    Empty,
    #[error("input of {bytes} bytes exceeds {max}")]
    TooLarge { bytes: u64, max: u64 },
    #[error("not an image")]
    NotAnImage,
    #[error("unsupported image format {format}")]
    UnsupportedFormat { format: String },
    #[error("{width}x{height} exceeds {max_pixels} pixels")]
    TooManyPixels {
        width: u32,
        height: u32,
        max_pixels: u64,
    },
    #[error("corrupt image: {reason}")]
    Corrupt { reason: String },
    #[error("decoding would exceed the memory limit")]
    MemoryLimit,
    #[error("encoding failed: {reason}")]
    Encode { reason: String },
    #[error("cannot read the file: {0}")]
    Io(std::io::ErrorKind),
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn format_name(format: ImageFormat) -> String {
    format!("{format:?}").to_lowercase()
}

fn supported(format: ImageFormat) -> bool {
    matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif
    )
}

fn image_limits(limits: &PhotoLimits) -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(limits.max_dimension);
    l.max_image_height = Some(limits.max_dimension);
    l.max_alloc = Some(limits.max_alloc_bytes);
    l
}

fn map_image_error(e: image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(_) => PhotoError::MemoryLimit,
        image::ImageError::Unsupported(u) => PhotoError::UnsupportedFormat {
            format: format!("{:?}", u.format_hint()).to_lowercase(),
        },
        other => PhotoError::Corrupt {
            reason: other.to_string().chars().take(200).collect(),
        },
    }
}

/// Format and dimensions from the header alone, with every limit checked.
pub fn probe(bytes: &[u8], limits: &PhotoLimits) -> Result<ImageInfo, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(PhotoError::TooLarge {
            bytes: bytes.len() as u64,
            max: limits.max_input_bytes,
        });
    }
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAnImage)?;
    if !supported(format) {
        return Err(PhotoError::UnsupportedFormat {
            format: format_name(format),
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(image_limits(limits));
    let (width, height) = reader.into_dimensions().map_err(map_image_error)?;
    check_dimensions(width, height, limits)?;
    Ok(ImageInfo {
        format: format_name(format),
        width,
        height,
    })
}

fn check_dimensions(width: u32, height: u32, limits: &PhotoLimits) -> Result<(), PhotoError> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0 || height == 0 {
        return Err(PhotoError::Corrupt {
            reason: "zero-sized image".into(),
        });
    }
    if pixels > limits.max_pixels || width > limits.max_dimension || height > limits.max_dimension {
        return Err(PhotoError::TooManyPixels {
            width,
            height,
            max_pixels: limits.max_pixels,
        });
    }
    Ok(())
}

/// Reads at most `max_input_bytes + 1` bytes of a file and processes them.
pub fn process_file(path: &Path, options: &PhotoOptions) -> Result<ProcessedPhoto, PhotoError> {
    let file = std::fs::File::open(path).map_err(|e| PhotoError::Io(e.kind()))?;
    let mut bytes = Vec::new();
    file.take(options.limits.max_input_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PhotoError::Io(e.kind()))?;
    process(&bytes, options)
}

pub fn process(bytes: &[u8], options: &PhotoOptions) -> Result<ProcessedPhoto, PhotoError> {
    let info = probe(bytes, &options.limits)?;
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAnImage)?;
    // Decoders are written defensively, but a panic on a crafted file must not take the app
    // down with it.
    let decoded = std::panic::catch_unwind(|| match format {
        ImageFormat::Jpeg => decode_jpeg_scaled(bytes, options.long_edge, &options.limits),
        _ => decode(bytes, format, &options.limits),
    })
    .map_err(|_| PhotoError::Corrupt {
        reason: "decoder failed".into(),
    })??;
    let (image, exif) = decoded;
    let gps = exif.as_deref().and_then(read_gps);
    let full = shrink(&image, options.long_edge);
    let thumb = shrink(&full, options.thumb_edge);
    Ok(ProcessedPhoto {
        full: encode(&full, options.jpeg_quality)?,
        thumb: encode(&thumb, options.thumb_quality)?,
        gps,
        source_format: info.format,
        source_width: info.width,
        source_height: info.height,
    })
}

fn decode(
    bytes: &[u8],
    format: ImageFormat,
    limits: &PhotoLimits,
) -> Result<(DynamicImage, Option<Vec<u8>>), PhotoError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(image_limits(limits));
    let mut decoder = reader.into_decoder().map_err(map_image_error)?;
    let (w, h) = decoder.dimensions();
    check_dimensions(w, h, limits)?;
    let orientation = decoder.orientation().ok();
    let exif = decoder.exif_metadata().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(map_image_error)?;
    if let Some(o) = orientation {
        image.apply_orientation(o);
    }
    Ok((image, exif))
}

/// Decodes a JPEG straight at the smallest DCT scale (1/8 to 1) that still covers
/// `long_edge`: a 12 MP photo meant for 1600 px decodes at 2000x1500, four times less work and
/// memory than decoding it whole.
fn decode_jpeg_scaled(
    bytes: &[u8],
    long_edge: u32,
    limits: &PhotoLimits,
) -> Result<(DynamicImage, Option<Vec<u8>>), PhotoError> {
    let corrupt = |e: jpeg_decoder::Error| PhotoError::Corrupt {
        reason: e.to_string().chars().take(200).collect(),
    };
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size(limits.max_alloc_bytes.min(usize::MAX as u64) as usize);
    decoder.read_info().map_err(corrupt)?;
    let info = decoder.info().ok_or(PhotoError::Corrupt {
        reason: "no frame header".into(),
    })?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    check_dimensions(w, h, limits)?;
    let pixel_format = info.pixel_format;
    if !matches!(
        pixel_format,
        jpeg_decoder::PixelFormat::RGB24 | jpeg_decoder::PixelFormat::L8
    ) {
        // CMYK and 16-bit JPEGs are rare on phones; the general decoder handles them.
        return decode(bytes, ImageFormat::Jpeg, limits);
    }
    let long = w.max(h);
    let want = |side: u32| -> u16 {
        (u64::from(side) * u64::from(long_edge.min(long)) / u64::from(long))
            .clamp(1, u16::MAX as u64) as u16
    };
    let (sw, sh) = decoder.scale(want(w), want(h)).map_err(corrupt)?;
    let pixels = decoder.decode().map_err(corrupt)?;
    let exif = decoder.exif_data().map(<[u8]>::to_vec);
    let (sw, sh) = (u32::from(sw), u32::from(sh));
    let mut image = match pixel_format {
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(sw, sh, pixels).map(DynamicImage::ImageLuma8)
        }
        _ => RgbImage::from_raw(sw, sh, pixels).map(DynamicImage::ImageRgb8),
    }
    .ok_or(PhotoError::Corrupt {
        reason: "short pixel data".into(),
    })?;
    if let Some(o) = exif
        .as_deref()
        .and_then(image::metadata::Orientation::from_exif_chunk)
    {
        image.apply_orientation(o);
    }
    Ok((image, exif))
}

/// Downscales so the long edge is at most `edge`; never upscales. Large reductions go in two
/// steps (a cheap 2x box reduction first) so a 12 MP photo stays fast on one core.
fn shrink(image: &DynamicImage, edge: u32) -> DynamicImage {
    let (w, h) = (image.width(), image.height());
    let long = w.max(h);
    if long <= edge {
        return DynamicImage::ImageRgb8(image.to_rgb8());
    }
    let mut current = DynamicImage::ImageRgb8(flatten(image));
    while current.width().max(current.height()) >= edge * 2 {
        let (cw, ch) = (current.width() / 2, current.height() / 2);
        current = current.resize_exact(cw.max(1), ch.max(1), FilterType::Triangle);
    }
    let scale = edge as f64 / current.width().max(current.height()) as f64;
    let nw = ((current.width() as f64 * scale).round() as u32).max(1);
    let nh = ((current.height() as f64 * scale).round() as u32).max(1);
    current.resize_exact(nw, nh, FilterType::CatmullRom)
}

/// RGB with any transparency laid on white.
fn flatten(image: &DynamicImage) -> image::RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let blend = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        image::Rgb([blend(p[0]), blend(p[1]), blend(p[2])])
    })
}

fn encode(image: &DynamicImage, quality: u8) -> Result<EncodedImage, PhotoError> {
    let rgb = match image {
        DynamicImage::ImageRgb8(rgb) => std::borrow::Cow::Borrowed(rgb),
        other => std::borrow::Cow::Owned(flatten(other)),
    };
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, quality.clamp(1, 100))
        .encode_image(rgb.as_ref())
        .map_err(|e| PhotoError::Encode {
            reason: e.to_string(),
        })?;
    Ok(EncodedImage {
        sha256: sha256_hex(&bytes),
        width: rgb.width(),
        height: rgb.height(),
        bytes,
    })
}

/// GPS position from raw EXIF (a TIFF structure). Malformed or out-of-range data yields none.
fn read_gps(exif: &[u8]) -> Option<GpsSuggestion> {
    let exif = exif::Reader::new().read_raw(exif.to_vec()).ok()?;
    let coord = |tag, ref_tag, negative: &str| -> Option<f64> {
        let field = exif.get_field(tag, exif::In::PRIMARY)?;
        let exif::Value::Rational(parts) = &field.value else {
            return None;
        };
        if parts.len() < 3 || parts.iter().any(|r| r.denom == 0) {
            return None;
        }
        let value = parts[0].to_f64() + parts[1].to_f64() / 60.0 + parts[2].to_f64() / 3600.0;
        let sign = match exif.get_field(ref_tag, exif::In::PRIMARY) {
            Some(r) => {
                let text = r.display_value().to_string();
                if text.trim_matches('"').eq_ignore_ascii_case(negative) {
                    -1.0
                } else {
                    1.0
                }
            }
            None => 1.0,
        };
        Some(sign * value)
    };
    let latitude = coord(exif::Tag::GPSLatitude, exif::Tag::GPSLatitudeRef, "S")?;
    let longitude = coord(exif::Tag::GPSLongitude, exif::Tag::GPSLongitudeRef, "W")?;
    if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
        return None;
    }
    if !latitude.is_finite() || !longitude.is_finite() {
        return None;
    }
    let rational = |tag| -> Option<f64> {
        let field = exif.get_field(tag, exif::In::PRIMARY)?;
        match &field.value {
            exif::Value::Rational(v) if !v.is_empty() && v[0].denom != 0 => Some(v[0].to_f64()),
            _ => None,
        }
    };
    Some(GpsSuggestion {
        latitude,
        longitude,
        altitude_m: rational(exif::Tag::GPSAltitude).filter(|a| a.is_finite()),
        accuracy_m: rational(exif::Tag::GPSHPositioningError)
            .filter(|a| a.is_finite() && *a >= 0.0),
    })
}

/// Why a photo is not one of the pipeline's own clean JPEGs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotStripped {
    #[error("not a JPEG")]
    NotJpeg,
    #[error("a JFIF header other than the plain one, or a thumbnail in it")]
    JfifExtra,
    #[error("metadata (EXIF, XMP, ICC or another application segment)")]
    Metadata,
    #[error("a comment")]
    Comment,
    #[error("bytes after the end of the image")]
    Trailing,
    #[error("a segment the pipeline does not write")]
    Unexpected,
    #[error("a truncated or malformed segment")]
    Malformed,
}

/// Whether `bytes` is a JPEG as [`process`] writes it: a plain JFIF header and the image
/// data, nothing else. A server re-checks uploads with this, since a tampered client can send
/// anything under a photo's name (its GPS position, a comment, a zip after the image).
pub fn check_stripped(bytes: &[u8]) -> Result<(), NotStripped> {
    const PLAIN_JFIF: usize = 14;
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(NotStripped::NotJpeg);
    }
    let mut i = 2;
    loop {
        if bytes.get(i) != Some(&0xFF) {
            return Err(NotStripped::Malformed);
        }
        while bytes.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *bytes.get(i).ok_or(NotStripped::Malformed)?;
        i += 1;
        match marker {
            0xD9 if i == bytes.len() => return Ok(()),
            0xD9 => return Err(NotStripped::Trailing),
            0xD0..=0xD7 => continue,
            _ => {}
        }
        let len = match bytes.get(i..i + 2) {
            Some(b) => usize::from(u16::from_be_bytes([b[0], b[1]])),
            None => return Err(NotStripped::Malformed),
        };
        let end = i + len;
        if len < 2 || end > bytes.len() {
            return Err(NotStripped::Malformed);
        }
        let body = &bytes[i + 2..end];
        match marker {
            // Version, units and density only: no thumbnail pixels (the last two bytes).
            0xE0 if body.len() == PLAIN_JFIF
                && body.starts_with(b"JFIF\0")
                && body[12..] == [0, 0] => {}
            0xE0 => return Err(NotStripped::JfifExtra),
            0xE1..=0xEF => return Err(NotStripped::Metadata),
            0xFE => return Err(NotStripped::Comment),
            // Frames, tables, restart interval.
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0xC4 | 0xCC | 0xDB | 0xDD => {}
            0xDA => {
                // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a
                // restart marker.
                let mut j = end;
                loop {
                    match bytes.get(j..j + 2) {
                        None => return Err(NotStripped::Malformed),
                        Some([0xFF, 0x00 | 0xD0..=0xD7]) => j += 2,
                        Some([0xFF, 0xFF]) => j += 1,
                        Some([0xFF, _]) => break,
                        Some(_) => j += 1,
                    }
                }
                i = j;
                continue;
            }
            _ => return Err(NotStripped::Unexpected),
        }
        i = end;
    }
}

#[cfg(test)]
mod stripped_tests {
    use super::*;

    fn camera_jpeg() -> Vec<u8> {
        let img = RgbImage::from_fn(300, 200, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out
    }

    fn with_segment(jpeg: &[u8], marker: u8, body: &[u8]) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn what_the_pipeline_writes_passes_the_servers_check() {
        let processed = process(&camera_jpeg(), &PhotoOptions::default()).unwrap();
        assert_eq!(check_stripped(&processed.full.bytes), Ok(()));
        assert_eq!(check_stripped(&processed.thumb.bytes), Ok(()));
    }

    #[test]
    fn metadata_comments_and_trailing_bytes_are_found() {
        let clean = camera_jpeg();
        let exif = with_segment(&clean, 0xE1, b"Exif\0\0II*\0");
        assert_eq!(check_stripped(&exif), Err(NotStripped::Metadata));
        // Core's pipeline drops what it read, GPS included.
        let processed = process(&exif, &PhotoOptions::default()).unwrap();
        assert_eq!(check_stripped(&processed.full.bytes), Ok(()));
        assert_eq!(
            check_stripped(&with_segment(&clean, 0xFE, b"rumah Siti")),
            Err(NotStripped::Comment)
        );
        assert_eq!(
            check_stripped(&with_segment(&clean, 0xE0, b"JFXX\0\x10abc")),
            Err(NotStripped::JfifExtra)
        );
        let mut trailing = clean.clone();
        trailing.push(0);
        assert_eq!(check_stripped(&trailing), Err(NotStripped::Trailing));
        assert_eq!(
            check_stripped(&clean[..clean.len() - 1]),
            Err(NotStripped::Malformed)
        );
        assert_eq!(check_stripped(b"\x89PNG\r\n"), Err(NotStripped::NotJpeg));
        for cut in [3, 5, 20, clean.len() / 2] {
            assert!(check_stripped(&clean[..cut]).is_err(), "{cut}");
        }
    }
}
