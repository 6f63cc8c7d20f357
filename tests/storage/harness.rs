//! One test body, two backends: a `Backend` is a fresh SQLite file in a temp dir, or a
//! fresh schema in the PostgreSQL database named by `IMAP_MIMIC_TEST_POSTGRES` (dropped when
//! the backend is dropped, even after a failed assertion), so tests run in parallel and
//! repeatedly.

use imap_mimic::storage::{FlagSet, NewMessage, Store};
use imap_mimic::wire::types::{
    BodyFields, BodyStructure, Envelope, ImapDateTime, SingleExt, SingleKind,
};
use sqlx::Connection;

pub const POSTGRES_ENV: &str = "IMAP_MIMIC_TEST_POSTGRES";

pub struct Backend {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// (server URL, schema) to drop on PostgreSQL.
    schema: Option<(String, String)>,
}

impl Backend {
    pub async fn sqlite() -> Backend {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("store.db").display());
        Backend {
            url,
            _dir: Some(dir),
            schema: None,
        }
    }

    /// None when the environment names no PostgreSQL server.
    pub async fn postgres() -> Option<Backend> {
        let server = std::env::var(POSTGRES_ENV).ok().filter(|s| !s.is_empty())?;
        let schema = format!("t_{:016x}", rand::random::<u64>());
        let mut conn = sqlx::PgConnection::connect(&server)
            .await
            .expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .await
            .expect("create schema");
        let sep = if server.contains('?') { '&' } else { '?' };
        let url = format!("{server}{sep}options=-c%20search_path%3D{schema}");
        Some(Backend {
            url,
            _dir: None,
            schema: Some((server, schema)),
        })
    }

    pub async fn open(&self) -> Store {
        Store::open(&self.url).await.expect("open store")
    }

    /// A single number from raw SQL, to check what the API does not show (blob counts).
    pub async fn scalar(&self, sql: &str) -> i64 {
        if self.url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&self.url)
                .await
                .expect("connect");
            sqlx::query_scalar(sql)
                .fetch_one(&mut c)
                .await
                .expect("scalar")
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url)
                .await
                .expect("connect");
            sqlx::query_scalar(sql)
                .fetch_one(&mut c)
                .await
                .expect("scalar")
        }
    }
}

impl Backend {
    /// Raw SQL behind the store's back (to corrupt data on purpose).
    pub async fn execute(&self, sql: &str) {
        if self.url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&self.url)
                .await
                .expect("connect");
            sqlx::query(sql).execute(&mut c).await.expect("execute");
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url)
                .await
                .expect("connect");
            sqlx::query(sql).execute(&mut c).await.expect("execute");
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        let Some((server, schema)) = self.schema.take() else {
            return;
        };
        // Drop may run inside a tokio worker: do the async cleanup on a thread of its own.
        let cleanup = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&server).await?;
                sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&mut conn)
                    .await?;
                Ok::<_, sqlx::Error>(())
            })
            .map_err(std::io::Error::other)
        });
        if let Ok(Err(e)) = cleanup.join() {
            eprintln!("could not drop test schema: {e}");
        }
    }
}

/// A test message and its (fake) MIME analysis.
pub struct Msg {
    pub raw: Vec<u8>,
    pub header_len: u32,
    pub envelope: Envelope,
    pub body: BodyStructure,
    pub date: ImapDateTime,
}

impl Msg {
    pub fn new(subject: &str) -> Msg {
        Msg::sized(subject, 0)
    }

    /// A message with `pad` extra body octets.
    pub fn sized(subject: &str, pad: usize) -> Msg {
        let header = format!("From: a@example.org\r\nSubject: {subject}\r\n\r\n");
        let mut raw = header.clone().into_bytes();
        raw.extend_from_slice(b"Hello\r\n");
        raw.extend(std::iter::repeat_n(b'x', pad));
        let body_len = raw.len() - header.len();
        Msg {
            header_len: header.len() as u32,
            envelope: Envelope {
                subject: Some(subject.as_bytes().to_vec()),
                ..Envelope::default()
            },
            body: BodyStructure::Single {
                fields: BodyFields {
                    media_type: "TEXT".into(),
                    subtype: "PLAIN".into(),
                    encoding: "7BIT".into(),
                    size: body_len as u32,
                    ..BodyFields::default()
                },
                kind: SingleKind::Text { lines: 1 },
                ext: SingleExt::default(),
            },
            raw,
            date: ImapDateTime {
                timestamp: 1_700_000_000,
                offset_minutes: -420,
            },
        }
    }

    pub fn with(&self, flags: FlagSet) -> NewMessage<'_> {
        NewMessage {
            raw: &self.raw,
            flags,
            internal_date: self.date,
            envelope: &self.envelope,
            body: &self.body,
            header_len: self.header_len,
            size_known: true,
            stored_size: None,
        }
    }

    pub fn plain(&self) -> NewMessage<'_> {
        self.with(FlagSet::default())
    }
}

pub fn flags(system: u8, keywords: &[&str]) -> FlagSet {
    FlagSet {
        system,
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
    }
}
