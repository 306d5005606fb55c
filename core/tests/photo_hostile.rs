//! Hostile and ordinary images through the photo pipeline. Every sample is made here; the
//! refusals come from headers and limits, so none of them allocates much.

use std::io::Cursor;

use aduan_core::photo::{self, PhotoError, PhotoLimits, PhotoOptions};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

fn textured(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 7 % 256) as u8,
            (y * 5 % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    })
}

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(textured(width, height)),
        ImageFormat::Jpeg,
    )
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header claims `width` x `height` with a tiny compressed body.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(b"IEND", &[]);
    out
}

/// A real JPEG whose SOF0 frame header is rewritten to claim other dimensions.
fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = jpeg(16, 16);
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("baseline JPEG");
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}

/// Inserts an APP segment right after SOI.
fn with_segment(jpeg: &[u8], marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn exif_segment(fields: &[exif::Field]) -> Vec<u8> {
    let mut writer = exif::experimental::Writer::new();
    for f in fields {
        writer.push_field(f);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff.into_inner());
    payload
}

fn rational(parts: &[(u32, u32)]) -> exif::Value {
    exif::Value::Rational(
        parts
            .iter()
            .map(|&(num, denom)| exif::Rational { num, denom })
            .collect(),
    )
}

fn field(tag: exif::Tag, value: exif::Value) -> exif::Field {
    exif::Field {
        tag,
        ifd_num: exif::In::PRIMARY,
        value,
    }
}

fn has_metadata(jpeg: &[u8]) -> bool {
    let find = |needle: &[u8]| jpeg.windows(needle.len()).any(|w| w == needle);
    find(b"Exif\0")
        || find(b"http://ns.adobe.com/xap")
        || find(b"ICC_PROFILE")
        || jpeg.windows(2).any(|w| w == [0xFF, 0xFE])
}

fn options() -> PhotoOptions {
    PhotoOptions::default()
}

#[test]
fn pixel_flood_png_is_refused_from_header() {
    let err = photo::process(&png_claiming(60_000, 60_000), &options()).unwrap_err();
    assert!(
        matches!(
            err,
            PhotoError::TooManyPixels { .. } | PhotoError::MemoryLimit
        ),
        "{err:?}"
    );
}

#[test]
fn jpeg_claiming_65500_squared_is_refused_from_header() {
    let err = photo::process(&jpeg_claiming(65_500, 65_500), &options()).unwrap_err();
    assert!(
        matches!(
            err,
            PhotoError::TooManyPixels { .. } | PhotoError::MemoryLimit
        ),
        "{err:?}"
    );
}

#[test]
fn gif_and_webp_with_absurd_dimensions_are_refused() {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00]);
    gif.extend_from_slice(&[
        0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]);
    assert!(photo::process(&gif, &options()).is_err());
    // VP8L header: 14-bit width-1 and height-1, all ones = 16384 x 16384.
    let mut webp = b"RIFF".to_vec();
    let body: Vec<u8> = [
        &b"WEBPVP8L"[..],
        &[5, 0, 0, 0, 0x2F, 0xFF, 0xFF, 0xFF, 0x0F],
    ]
    .concat();
    webp.extend_from_slice(&(body.len() as u32).to_le_bytes());
    webp.extend_from_slice(&body);
    let err = photo::process(&webp, &options()).unwrap_err();
    assert!(!matches!(err, PhotoError::NotAnImage), "{err:?}");
}

#[test]
fn truncated_files_fail_cleanly_or_decode() {
    let full = jpeg(640, 480);
    let png = encode(
        DynamicImage::ImageRgb8(textured(200, 150)),
        ImageFormat::Png,
    );
    for data in [&full, &png] {
        for cut in [3, 20, data.len() / 3, data.len() / 2, data.len() - 10] {
            match photo::process(&data[..cut], &options()) {
                Ok(p) => assert!(p.full.width > 0),
                Err(e) => assert!(
                    matches!(
                        e,
                        PhotoError::Corrupt { .. }
                            | PhotoError::NotAnImage
                            | PhotoError::UnsupportedFormat { .. }
                    ),
                    "cut at {cut}: {e:?}"
                ),
            }
        }
    }
}

#[test]
fn wrong_magic_bytes_are_not_images() {
    let mut noise = vec![0u8; 4096];
    let mut seed = 7u32;
    for b in &mut noise {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        *b = (seed >> 16) as u8;
    }
    for input in [
        b"selokan tersumbat".to_vec(),
        b"%PDF-1.7\n...".to_vec(),
        vec![0u8; 1000],
        noise,
    ] {
        let err = photo::process(&input, &options()).unwrap_err();
        assert!(
            matches!(
                err,
                PhotoError::NotAnImage | PhotoError::UnsupportedFormat { .. }
            ),
            "{err:?}"
        );
    }
}

#[test]
fn empty_and_oversized_inputs_are_refused_before_reading() {
    assert!(matches!(
        photo::process(&[], &options()),
        Err(PhotoError::Empty)
    ));
    let small = PhotoOptions {
        limits: PhotoLimits {
            max_input_bytes: 1000,
            ..PhotoLimits::default()
        },
        ..options()
    };
    assert!(matches!(
        photo::process(&jpeg(200, 200), &small),
        Err(PhotoError::TooLarge { .. })
    ));
}

#[test]
fn huge_metadata_is_dropped_not_kept() {
    let mut bytes = jpeg(320, 240);
    for _ in 0..40 {
        bytes = with_segment(&bytes, 0xE2, &vec![b'x'; 60_000]);
    }
    bytes = with_segment(&bytes, 0xFE, b"comment with a name and a phone number");
    let p = photo::process(&bytes, &options()).unwrap();
    assert!(!has_metadata(&p.full.bytes));
    assert!(p.full.bytes.len() < 100_000);
}

#[test]
fn gps_is_stripped_but_offered_as_suggestion() {
    let exif = exif_segment(&[
        field(
            exif::Tag::GPSLatitudeRef,
            exif::Value::Ascii(vec![b"S".to_vec()]),
        ),
        field(
            exif::Tag::GPSLatitude,
            rational(&[(5, 1), (11, 1), (816, 100)]),
        ),
        field(
            exif::Tag::GPSLongitudeRef,
            exif::Value::Ascii(vec![b"E".to_vec()]),
        ),
        field(
            exif::Tag::GPSLongitude,
            rational(&[(119, 1), (25, 1), (2532, 100)]),
        ),
    ]);
    let input = with_segment(&jpeg(800, 600), 0xE1, &exif);
    assert!(has_metadata(&input));
    let p = photo::process(&input, &options()).unwrap();
    let gps = p.gps.expect("suggestion");
    assert!((gps.latitude - -5.1856).abs() < 1e-3, "{}", gps.latitude);
    assert!((gps.longitude - 119.4237).abs() < 1e-3, "{}", gps.longitude);
    assert!(!has_metadata(&p.full.bytes) && !has_metadata(&p.thumb.bytes));
}

#[test]
fn malformed_exif_yields_no_suggestion_and_no_failure() {
    let input = with_segment(
        &jpeg(100, 100),
        0xE1,
        b"Exif\0\0II*\0\xFF\xFF\xFF\xFFgarbage",
    );
    let p = photo::process(&input, &options()).unwrap();
    assert!(p.gps.is_none());
}

#[test]
fn exif_orientation_six_turns_the_photo_upright() {
    let exif = exif_segment(&[field(exif::Tag::Orientation, exif::Value::Short(vec![6]))]);
    let input = with_segment(&jpeg(400, 200), 0xE1, &exif);
    let p = photo::process(&input, &options()).unwrap();
    assert_eq!((p.full.width, p.full.height), (200, 400));
}

#[test]
fn png_with_alpha_is_flattened_to_jpeg() {
    let img = RgbaImage::from_fn(300, 200, |x, _| Rgba([200, 10, 10, (x % 256) as u8]));
    let p = photo::process(
        &encode(DynamicImage::ImageRgba8(img), ImageFormat::Png),
        &options(),
    )
    .unwrap();
    assert_eq!(
        image::guess_format(&p.full.bytes).unwrap(),
        ImageFormat::Jpeg
    );
    assert_eq!((p.full.width, p.full.height), (300, 200), "never upscaled");
}

#[test]
fn large_photo_is_resized_to_1600_with_a_320_thumbnail() {
    let p = photo::process(&jpeg(4000, 3000), &options()).unwrap();
    assert_eq!((p.full.width, p.full.height), (1600, 1200));
    assert_eq!(p.thumb.width.max(p.thumb.height), 320);
    assert_eq!((p.source_width, p.source_height), (4000, 3000));
    assert_eq!(p.full.sha256, photo::sha256_hex(&p.full.bytes));
}

#[test]
fn the_same_photo_gives_the_same_hash() {
    let input = jpeg(1000, 700);
    let a = photo::process(&input, &options()).unwrap();
    let b = photo::process(&input, &options()).unwrap();
    assert_eq!(a.full.sha256, b.full.sha256);
    assert_eq!(a.thumb.sha256, b.thumb.sha256);
}

#[test]
fn probe_reads_only_the_header() {
    let info = photo::probe(&jpeg(640, 480), &PhotoLimits::default()).unwrap();
    assert_eq!(
        (info.format.as_str(), info.width, info.height),
        ("jpeg", 640, 480)
    );
    assert!(photo::probe(&png_claiming(60_000, 60_000), &PhotoLimits::default()).is_err());
}
