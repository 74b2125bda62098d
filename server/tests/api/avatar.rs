//! Avatars: multipart upload checked by content, shrunk and stripped of metadata,
//! served with its type and cache headers to its owner and to the team of a creator
//! the user is a member of.

use crate::helpers::{assert_error, TestApp};
use image::ImageEncoder;
use serde_json::{json, Value};

on_both_backends!(
    an_avatar_is_shrunk_stripped_and_served_with_cache_headers,
    uploads_that_are_not_small_jpeg_or_png_images_are_refused,
    a_creators_team_sees_its_members_avatars_only,
);

const PATH: &str = "/api/v1/users/me/avatar";

fn png(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 9]));
    let mut out = Vec::new();
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

/// A JPEG carrying an EXIF segment with a marker string, as a phone photo carries its
/// location.
fn jpeg_with_exif(marker: &str) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(40, 30, |x, _| image::Rgb([x as u8 * 6, 90, 30]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .write_image(pixels.as_raw(), 40, 30, image::ExtendedColorType::Rgb8)
        .unwrap();
    let payload = [b"Exif\0\0".as_slice(), marker.as_bytes()].concat();
    let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
    [&plain[..2], &[0xFF, 0xE1], &length, &payload, &plain[2..]].concat()
}

impl TestApp {
    async fn put_avatar(&self, token: &str, field: &str, bytes: &[u8]) -> reqwest::Response {
        let boundary = "encora-test-boundary";
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; \
             filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n"
        );
        let body = [
            head.as_bytes(),
            bytes,
            format!("\r\n--{boundary}--\r\n").as_bytes(),
        ]
        .concat();
        self.client
            .put(self.url(PATH))
            .bearer_auth(token)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap()
    }
}

async fn an_avatar_is_shrunk_stripped_and_served_with_cache_headers(app: TestApp) {
    let token = app.verified_user("pictured@example.com").await;
    assert_error(app.get_as(PATH, &token).await, 404, "avatar_not_found").await;

    let stored = app.put_avatar(&token, "file", &png(800, 400)).await;
    assert_eq!(stored.status(), 200);
    let user: Value = stored.json().await.unwrap();
    let url = user["avatar_url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/api/v1/users/me/avatar?v="));
    let me: Value = app
        .get_as("/api/v1/users/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["avatar_url"], url.as_str());

    let served = app.get_as(&url, &token).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert!(served.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let etag = served.headers()["etag"].to_str().unwrap().to_string();
    let image = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
    assert_eq!((image.width(), image.height()), (512, 256));
    let again = app
        .client
        .get(app.url(PATH))
        .bearer_auth(&token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(app.get(PATH).await.status(), 401);

    let secret = "GPS 48.8584 N 2.2945 E";
    let photo = jpeg_with_exif(secret);
    assert!(photo.windows(secret.len()).any(|w| w == secret.as_bytes()));
    let replaced: Value = app
        .put_avatar(&token, "file", &photo)
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(
        replaced["avatar_url"],
        url.as_str(),
        "a new upload gets a new URL"
    );
    let served = app.get_as(PATH, &token).await;
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.headers()["cache-control"], "private, no-cache");
    let bytes = served.bytes().await.unwrap();
    assert!(
        !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
        "metadata dropped"
    );
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 40);

    let other = app.verified_user("someone-else@example.com").await;
    assert_error(app.get_as(PATH, &other).await, 404, "avatar_not_found").await;
}

async fn uploads_that_are_not_small_jpeg_or_png_images_are_refused(app: TestApp) {
    let token = app.verified_user("uploader@example.com").await;
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    assert_error(
        app.put_avatar(&token, "file", svg).await,
        415,
        "unsupported_media_type",
    )
    .await;
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    assert_error(
        app.put_avatar(&token, "file", gif).await,
        415,
        "unsupported_media_type",
    )
    .await;
    let mut damaged = png(64, 64);
    damaged.truncate(60);
    assert_error(
        app.put_avatar(&token, "file", &damaged).await,
        400,
        "invalid_image",
    )
    .await;
    let huge_canvas = png(7000, 2);
    assert_error(
        app.put_avatar(&token, "file", &huge_canvas).await,
        400,
        "invalid_image",
    )
    .await;
    let mut oversized = png(8, 8);
    oversized.resize(5 * 1024 * 1024 + 1, 0);
    assert_error(
        app.put_avatar(&token, "file", &oversized).await,
        413,
        "payload_too_large",
    )
    .await;
    let error = assert_error(
        app.put_avatar(&token, "photo", &png(8, 8)).await,
        400,
        "validation_error",
    )
    .await;
    assert_eq!(error["details"][0]["field"], "file");
    let json = app
        .client
        .put(app.url(PATH))
        .bearer_auth(&token)
        .json(&serde_json::json!({"file": "aGVsbG8="}))
        .send()
        .await
        .unwrap();
    assert_error(json, 415, "unsupported_media_type").await;
    // Nothing was stored by any of these.
    let me: Value = app
        .get_as("/api/v1/users/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["avatar_url"], Value::Null);
}

async fn a_creators_team_sees_its_members_avatars_only(app: TestApp) {
    let (owner, creator, free) = app.creator_with_free_tier("studio").await;
    let join = json!({"creator_id": creator["id"], "tier_id": free});
    let pictured = app.verified_user("fan-with-face@example.com").await;
    let plain = app.verified_user("fan-without@example.com").await;
    for token in [&pictured, &plain] {
        let joined = app.post_as("/api/v1/memberships", token, &join).await;
        assert_eq!(joined.status(), 201);
    }
    assert_eq!(
        app.put_avatar(&pictured, "file", &png(64, 64))
            .await
            .status(),
        200
    );

    let list: Value = app
        .get_as("/api/v1/audience/members", &owner)
        .await
        .json()
        .await
        .unwrap();
    let members = list["members"].as_array().unwrap();
    let with = members
        .iter()
        .find(|m| m["email"] == "fan-with-face@example.com")
        .unwrap();
    let without = members
        .iter()
        .find(|m| m["email"] == "fan-without@example.com")
        .unwrap();
    assert_eq!(without["avatar_url"], Value::Null);
    let url = with["avatar_url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!(
            "/api/v1/audience/members/{}/avatar?v=",
            with["id"].as_str().unwrap()
        )),
        "{url}"
    );
    let detail: Value = app
        .get_as(
            &format!("/api/v1/audience/members/{}", with["id"].as_str().unwrap()),
            &owner,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["avatar_url"].as_str(), Some(url.as_str()));

    let image = app.get_as(&url, &owner).await;
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert!(image.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let no_avatar = format!(
        "/api/v1/audience/members/{}/avatar",
        without["id"].as_str().unwrap()
    );
    assert_error(
        app.get_as(&no_avatar, &owner).await,
        404,
        "avatar_not_found",
    )
    .await;

    // Another creator's team, and the members themselves, get nothing.
    let (rival, _, _) = app.creator_with_free_tier("rival").await;
    assert_error(app.get_as(&url, &rival).await, 404, "member_not_found").await;
    assert_error(app.get_as(&url, &plain).await, 404, "member_not_found").await;
}
