//! A console API that misbehaves on purpose, on loopback: each request is
//! answered by a script, which may send an endless body, never answer,
//! redirect in a loop, or put terminal escapes in its messages.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// How one request is answered.
pub enum Answer {
    /// A status and a JSON body.
    Json(u16, String),
    /// A 200 whose chunked body never ends.
    Endless,
    /// A 200 that declares a body of this many bytes, then sends them.
    Declared(u64),
    /// Nothing, ever: the connection stays open.
    Silent,
    /// A 302 to this path.
    Redirect(String),
    /// A 429 with this `Retry-After`.
    Busy(String),
    /// A status, extra header lines (`name: value`) and a JSON body.
    Headed(u16, Vec<String>, String),
    /// [`Answer::Json`] after a delay.
    Slow(std::time::Duration, u16, String),
}

pub struct Hostile {
    pub url: String,
    log: Arc<Mutex<Vec<String>>>,
    bodies: Arc<Mutex<Vec<String>>>,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Hostile {
    /// Serves every request (`"GET /path?query"`) with `script`.
    pub fn start(script: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let (seen, sent, headed) = (log.clone(), bodies.clone(), heads.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (script, seen, sent, headed) = (script.clone(), seen.clone(), sent.clone(), headed.clone());
                std::thread::spawn(move || serve(stream, &*script, &seen, &sent, &headed));
            }
        });
        Hostile { url, log, bodies, heads }
    }

    /// The header lines of every request it got, one text per request.
    pub fn headers(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    /// Every request line it got, as `"GET /path?query"`.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// The body of every request it got.
    pub fn bodies(&self) -> Vec<String> {
        self.bodies.lock().unwrap().clone()
    }
}

fn serve(
    stream: TcpStream,
    script: &(dyn Fn(&str) -> Answer + Send + Sync),
    log: &Mutex<Vec<String>>,
    bodies: &Mutex<Vec<String>>,
    heads: &Mutex<Vec<String>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut first = String::new();
        if reader.read_line(&mut first).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0usize;
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line.trim().is_empty() {
                break;
            }
            head.push_str(&line);
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let request = first.split(' ').take(2).collect::<Vec<_>>().join(" ");
        log.lock().unwrap().push(request.clone());
        heads.lock().unwrap().push(head);
        bodies.lock().unwrap().push(String::from_utf8_lossy(&body).to_string());
        let written = match script(&request) {
            Answer::Headed(status, headers, body) => write!(
                out,
                "HTTP/1.1 {status} X\r\n{}content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                headers.iter().map(|h| format!("{h}\r\n")).collect::<String>(),
                body.len()
            ),
            Answer::Slow(delay, status, body) => {
                std::thread::sleep(delay);
                write!(
                    out,
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                )
            }
            Answer::Json(status, body) => write!(
                out,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            ),
            Answer::Busy(after) => write!(
                out,
                "HTTP/1.1 429 Too Many Requests\r\nretry-after: {after}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{{}}"
            ),
            Answer::Redirect(to) => write!(out, "HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\n\r\n"),
            Answer::Silent => {
                // Holds the connection until the client gives up on it.
                let _ = reader.read(&mut [0; 1]);
                return;
            }
            Answer::Endless => {
                let _ = write!(out, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
                let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
                while out.write_all(chunk.as_bytes()).is_ok() {}
                return;
            }
            Answer::Declared(size) => {
                let _ = write!(out, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n");
                let chunk = vec![b' '; 0x10000];
                let mut sent = 0;
                while sent < size && out.write_all(&chunk).is_ok() {
                    sent += chunk.len() as u64;
                }
                return;
            }
        };
        if written.is_err() {
            return;
        }
    }
}
