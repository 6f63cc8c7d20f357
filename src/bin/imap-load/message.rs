//! Realistic test messages: headers, a multipart/alternative text + HTML body of a few
//! kilobytes, words drawn from a small vocabulary by a seeded generator, so runs repeat.

const WORDS: &[&str] = &[
    "meeting",
    "report",
    "quarterly",
    "budget",
    "project",
    "deadline",
    "review",
    "customer",
    "invoice",
    "schedule",
    "update",
    "team",
    "please",
    "attached",
    "tomorrow",
    "thanks",
    "regards",
    "proposal",
    "draft",
    "server",
    "release",
    "client",
    "contract",
    "question",
    "answer",
    "office",
    "travel",
    "agenda",
    "minutes",
    "follow",
    "launch",
    "plan",
];

/// A small xorshift generator: deterministic, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn word(&mut self) -> &'static str {
        WORDS[(self.next() % WORDS.len() as u64) as usize]
    }

    fn sentence(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.word())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Message number `i` of a run: about `size` bytes (at least ~1 KB).
pub fn message(i: u64, size: usize) -> Vec<u8> {
    let mut rng = Rng::new(i + 1);
    let subject = format!("{} {} #{i}", rng.word(), rng.word());
    let mut text = String::new();
    while text.len() < size / 2 {
        text.push_str(&rng.sentence(12));
        text.push_str(".\r\n");
    }
    let html = format!(
        "<html><body><p>{}</p></body></html>\r\n",
        text.replace("\r\n", "<br>\r\n")
    );
    format!(
        "From: User {a} <user{a}@example.com>\r\nTo: Team <team@example.com>\r\nSubject: {subject}\r\n\
         Date: Mon, 07 Feb 2022 10:{m:02}:00 +0000\r\nMessage-ID: <msg{i}@example.com>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/alternative; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n\
         Content-Type: text/plain; charset=us-ascii\r\n\r\n{text}\r\n--b{i}\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n\
         {html}\r\n--b{i}--\r\n",
        a = rng.next() % 50,
        m = i % 60,
    )
    .into_bytes()
}
