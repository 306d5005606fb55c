//! `/v1/photos/{sha}`: `HEAD` how much the server has, `PUT` one chunk at `Upload-Offset` of
//! a photo of `Upload-Length` bytes, `GET` the photo (`services::photos`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::blocking;
use super::extractor::{Authenticated, ClientAddress};
use crate::error::ApiError;
use crate::services::photos::{self, Chunk, Outcome, Progress};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/photos/{sha}", get(download).head(status).put(upload))
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.parse().ok()
}

fn offset_response(p: Progress) -> Response {
    let status = match p.outcome {
        Outcome::Received => StatusCode::OK,
        Outcome::Resume => StatusCode::CONFLICT,
        Outcome::Stored => StatusCode::CREATED,
    };
    let mut r = status.into_response();
    r.headers_mut()
        .insert("upload-offset", HeaderValue::from(p.offset));
    r.headers_mut().insert(
        "upload-complete",
        HeaderValue::from_static(if p.complete { "1" } else { "0" }),
    );
    r
}

/// How much of a photo the server has: a cut upload resumes from `Upload-Offset`.
async fn status(
    State(state): State<AppState>,
    who: Authenticated,
    Path(sha): Path<String>,
) -> Result<Response, ApiError> {
    photos::check_sha(&sha)?;
    let st = state.clone();
    let progress = blocking(move || {
        photos::status(
            &st.db,
            st.photos.as_ref(),
            &who.account,
            &who.device_id,
            &sha,
        )
    })
    .await?;
    Ok(offset_response(progress))
}

/// One chunk at `Upload-Offset` of a photo of `Upload-Length` bytes; the last chunk verifies it.
async fn upload(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    who: Authenticated,
    Path(sha): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    photos::check_sha(&sha)?;
    let offset = header_u64(&headers, "upload-offset")
        .ok_or_else(|| ApiError::bad_request("upload_offset", "Upload-Offset is required."))?;
    let total = header_u64(&headers, "upload-length")
        .ok_or_else(|| ApiError::bad_request("upload_length", "Upload-Length is required."))?;
    let thumb_of = headers
        .get("thumb-of")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(t) = &thumb_of {
        photos::check_sha(t)?;
    }
    photos::check_size(offset, body.len(), total)?;
    let st = state.clone();
    let progress = blocking(move || {
        photos::upload(
            &st.db,
            st.photos.as_ref(),
            &st.meter,
            &who.account,
            &who.device_id,
            address,
            Chunk {
                sha: &sha,
                offset,
                total,
                thumb_of,
                bytes: &body,
            },
        )
    })
    .await?;
    Ok(offset_response(progress))
}

/// A photo, for someone who may see a complaint that references it (or its full-size photo).
async fn download(
    State(state): State<AppState>,
    who: Authenticated,
    Path(sha): Path<String>,
) -> Result<Response, ApiError> {
    photos::check_sha(&sha)?;
    let st = state.clone();
    let bytes =
        blocking(move || photos::download(&st.db, st.photos.as_ref(), &who.account, &sha)).await?;
    // Photos stored before uploads were checked may be other images.
    let kind = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        "application/octet-stream"
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}
