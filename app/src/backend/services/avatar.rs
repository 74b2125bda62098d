//! Avatars: an uploaded JPEG or PNG is checked by its content (never its name or
//! declared type), decoded under strict limits so a small file cannot expand into
//! gigabytes, shrunk to at most 512 px a side and re-encoded, which also drops every
//! piece of metadata (EXIF location, camera, comments).

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{require_owner, CreatorPermission};
use crate::backend::error::AppError;
use crate::backend::services::member::member_not_found;
use crate::backend::store::avatars::{self, AvatarRow};
use crate::backend::store::{memberships, users};
use crate::backend::AppState;
use crate::model::user::User;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use uuid::Uuid;

pub use crate::model::user::AVATAR_MAX_BYTES as MAX_BYTES;
/// Larger canvases are refused before any pixel is decoded (decompression bombs: a
/// 5 MB PNG can claim 100,000 × 100,000 pixels).
const MAX_SIDE: u32 = 6000;
/// What the decoder may allocate: a 6000 × 6000 RGBA image is 144 MB.
const MAX_DECODE_ALLOC: u64 = 160 * 1024 * 1024;
/// Stored and served at most this many pixels a side.
const STORED_SIDE: u32 = 512;
const JPEG_QUALITY: u8 = 85;

/// An image ready to store.
#[derive(Debug)]
pub struct Processed {
    pub content_type: &'static str,
    pub content: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn invalid(message: &str) -> AppError {
    AppError::BadRequest {
        code: "invalid_image",
        message: message.into(),
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    limits
}

/// Checks, decodes, shrinks and re-encodes an upload. CPU-bound: call it off the async
/// threads (see [`upload`]).
pub fn process(bytes: &[u8]) -> Result<Processed, AppError> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let format = match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png)) => format,
        _ => {
            return Err(AppError::UnsupportedMediaType {
                expected: "a JPEG or PNG image",
            })
        }
    };
    let reader = |bytes| {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        reader.limits(limits());
        reader
    };
    let (width, height) = reader(bytes)
        .into_dimensions()
        .map_err(|_| invalid("The image is damaged or larger than 6000 pixels a side."))?;
    if width == 0 || height == 0 {
        return Err(invalid("The image has no pixels."));
    }
    let decoded = reader(bytes)
        .decode()
        .map_err(|_| invalid("The image is damaged or larger than 6000 pixels a side."))?;
    let image = if width > STORED_SIDE || height > STORED_SIDE {
        decoded.thumbnail(STORED_SIDE, STORED_SIDE)
    } else {
        decoded
    };
    encode(image, format)
}

fn encode(image: DynamicImage, format: ImageFormat) -> Result<Processed, AppError> {
    let mut content = Vec::new();
    let (width, height) = (image.width(), image.height());
    let content_type = if format == ImageFormat::Png {
        image
            .write_with_encoder(image::codecs::png::PngEncoder::new(&mut content))
            .map_err(AppError::internal)?;
        "image/png"
    } else {
        // JPEG has no alpha channel.
        DynamicImage::ImageRgb8(image.to_rgb8())
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut content,
                JPEG_QUALITY,
            ))
            .map_err(AppError::internal)?;
        "image/jpeg"
    };
    Ok(Processed {
        content_type,
        content,
        width,
        height,
    })
}

/// Replaces the user's avatar with `bytes` and returns the account with its new
/// `avatar_url`.
pub async fn upload(
    state: &AppState,
    identity: &Identity,
    bytes: Vec<u8>,
) -> Result<User, AppError> {
    let processed = tokio::task::spawn_blocking(move || process(&bytes))
        .await
        .map_err(AppError::internal)??;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    avatars::put(
        &mut tx,
        &AvatarRow {
            user_id: identity.user_id,
            content_type: processed.content_type.into(),
            content: processed.content,
            width: processed.width as i32,
            height: processed.height as i32,
            updated_at: now,
        },
    )
    .await?;
    tx.commit().await?;
    let user = users::find_by_id(&state.db, identity.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(user.into_api(&identity.roles))
}

/// The stored avatar; 404 `avatar_not_found` without one.
pub async fn get(state: &AppState, identity: &Identity) -> Result<AvatarRow, AppError> {
    avatars::find(&state.db, identity.user_id)
        .await?
        .ok_or_else(|| avatar_not_found("You have not uploaded an avatar."))
}

/// A member's avatar, for the team of the creator they belong to; another creator's
/// member is `404 member_not_found`, as everywhere in the audience API.
pub async fn of_member(
    state: &AppState,
    identity: &Identity,
    membership_id: Uuid,
) -> Result<AvatarRow, AppError> {
    let membership = memberships::find(&state.db, membership_id)
        .await?
        .ok_or_else(member_not_found)?;
    require_owner(
        &state.db,
        identity,
        membership.creator_id,
        CreatorPermission::View,
        member_not_found,
    )
    .await?;
    avatars::find(&state.db, membership.user_id)
        .await?
        .ok_or_else(|| avatar_not_found("This member has no avatar."))
}

fn avatar_not_found(message: &str) -> AppError {
    AppError::NotFound {
        code: "avatar_not_found",
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let pixels = RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 7]));
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(
                pixels.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
        out
    }

    #[test]
    fn large_images_are_shrunk_and_small_ones_kept() {
        let big = process(&png(1024, 600)).unwrap();
        assert_eq!(
            (big.width, big.height, big.content_type),
            (512, 300, "image/png")
        );
        let small = process(&png(64, 64)).unwrap();
        assert_eq!((small.width, small.height), (64, 64));
    }

    #[test]
    fn only_real_jpeg_or_png_content_is_accepted() {
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
        assert!(matches!(
            process(&gif),
            Err(AppError::UnsupportedMediaType { .. })
        ));
        let text = b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec();
        assert!(matches!(
            process(&text),
            Err(AppError::UnsupportedMediaType { .. })
        ));
        let mut truncated = png(32, 32);
        truncated.truncate(40);
        assert!(matches!(
            process(&truncated),
            Err(AppError::BadRequest {
                code: "invalid_image",
                ..
            })
        ));
    }

    #[test]
    fn a_canvas_too_large_is_refused_before_decoding() {
        // A few kilobytes of file that claim more pixels than allowed: refused from the
        // header, as a decompression bomb would be.
        let wide = png(MAX_SIDE + 1, 2);
        assert!(wide.len() < 64 * 1024);
        assert!(matches!(
            process(&wide),
            Err(AppError::BadRequest {
                code: "invalid_image",
                ..
            })
        ));
        assert!(process(&png(MAX_SIDE, 2)).is_ok());
    }
}
