//! Entry points for the fuzz targets in `fuzz/` (built with `--cfg
//! fuzzing`): everything this client takes from a server, which may be
//! broken or hostile, must end in a value or an error, never a panic.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{ApiError, ApiKey, Error, EventStream, Member, Organization};
use super::{PortalLink, Project, ProjectMetadata, Workspace};
use crate::http::{answers, pace, pages, retry};

fn decoded<T: serde::de::DeserializeOwned>(body: &[u8]) {
    if let Err(e) = crate::http::decode::<T>("fuzz", body) {
        let _ = e.to_string();
    }
}

/// One answer: the first byte picks what it is decoded as, the rest is the
/// body; headers come from its lines (`name: value`).
pub fn server_answer(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else { return };
    match pick % 12 {
        0 => decoded::<Project>(body),
        1 => decoded::<Vec<ProjectMetadata>>(body),
        2 => decoded::<Vec<ApiKey>>(body),
        3 => decoded::<Vec<EventStream>>(body),
        4 => decoded::<Organization>(body),
        5 => decoded::<Vec<PortalLink>>(body),
        6 => decoded::<Vec<Member>>(body),
        7 => decoded::<Workspace>(body),
        8 => decoded::<Vec<super::Warning>>(body),
        9 => {
            let status = 400 + u16::from(pick) % 200;
            let error = Error::Api(Box::new(ApiError::from_response("fuzz", status, body)));
            let _ = (error.to_string(), error.is_not_found(), error.status());
        }
        10 => rate_headers(body),
        _ => {
            let text = String::from_utf8_lossy(body);
            let _ = answers::shown(&text);
            let _ = answers::is_id(&text);
            let mut pages = pages::Pages::new("fuzz", Duration::from_secs(90));
            for token in text.split('\n') {
                if pages.next(true, token.to_string()).is_err() {
                    break;
                }
            }
        }
    }
}

/// Rate and retry headers, as any server may send them.
fn rate_headers(body: &[u8]) {
    let mut headers = HeaderMap::new();
    for line in String::from_utf8_lossy(body).lines() {
        let Some((name, value)) = line.split_once(':') else { continue };
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name.trim().as_bytes()), HeaderValue::from_str(value.trim()))
        {
            headers.append(name, value);
        }
    }
    let pacer = pace::Pacer::default();
    pacer.observe(&headers);
    let _ = (pacer.reserve(), pacer.reserve());
    for attempt in [0, 1, 7, 40] {
        let wait = retry::wait(Duration::from_millis(250), attempt, Some(&headers));
        assert!(wait <= retry::MAX_WAIT, "a retry wait past its cap: {wait:?}");
    }
}
