//! Spec text to rustdoc Markdown.
//!
//! Spec descriptions are CommonMark written for a web page, with inline HTML in it. They are
//! read with `pulldown-cmark` (the parser rustdoc uses), and only what rustdoc would read
//! otherwise, or what must not reach the docs, is rewritten; the rest of the source is copied
//! as it is:
//!
//! - every code block becomes a `text` block: nothing from a spec may run as a doctest;
//! - in text, brackets are escaped (rustdoc reads `[x]` as an intra-doc link), bare URLs are
//!   wrapped in `<>` (rustdoc warns about them), and a `<` becomes `&lt;`;
//! - links keep their target if it is http(s), relative or an intra-doc path; others
//!   (`javascript:`) keep their text only;
//! - HTML becomes Markdown where it has a Markdown equivalent (`<a href>` a link, `<b>` and
//!   `<em>` emphasis, `<code>` a code span, `<br>` a line break, `<p>` and `<div>` paragraph
//!   breaks, `<img>` its `alt` text) and is escaped otherwise: no HTML from a spec reaches the
//!   docs raw.
//!
//! The result is read again until nothing changes (it is the first time, but for text made
//! to defeat a single reading), so what rustdoc reads has no HTML and no code block but
//! `text` ones.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// The extensions rustdoc turns on, so that both read the same structure.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Spec descriptions are CommonMark written for a web page, and nothing in them may run as
/// code: every code block (fenced with backticks or tildes, whatever its label, or indented)
/// becomes a `text` block, since rustdoc compiles and runs unlabelled, `rust` and
/// `should_panic` blocks as doctests. Control and bidirectional-override characters are
/// escaped (rustc rejects a bare CR in a doc comment and denies bidi overrides). In prose,
/// rustdoc reads `[x]` as an intra-doc link and warns about bare URLs, so brackets that are
/// not links are escaped, bare URLs are wrapped in `<>`, and links other than http(s) and
/// relative ones (`javascript:`) keep their text only. Code spans are left as they are, and
/// HTML becomes Markdown or escaped text (see the module's documentation).
pub fn rustdoc_markdown(text: &str) -> String {
    if is_plain(text) { text.to_owned() } else { rustdoc_markdown_read(text) }
}

/// [`rustdoc_markdown`] by reading the text as CommonMark.
fn rustdoc_markdown_read(text: &str) -> String {
    settle(&visible(text), rewrite, text_block)
}

/// Rustdoc Markdown with each line longer than `width` broken at single spaces, so the
/// generated source reads like hand-written doc comments. A continuation keeps the line's
/// indentation and markers (each block quote's `>` again, spaces as wide as each list
/// marker), and no piece starts with what could open a block of its own (a list marker, a
/// heading, a quote, a table row, a fence, HTML, a setext underline). Code blocks, and lines
/// that may be tables, headings or code, are left as they are. The result is read again: if
/// CommonMark reads it otherwise than the text (a case these rules miss), the text is kept as
/// it is.
pub(crate) fn wrapped(text: &str, width: usize) -> String {
    if text.lines().all(|line| line.len() <= width) {
        return text.to_owned();
    }
    let wrapped = wrapped_unchecked(text, width);
    if wrapped != text && !reading(&wrapped).eq(reading(text)) { text.to_owned() } else { wrapped }
}

/// What CommonMark reads from a text: its events, each run of text (soft line breaks read as
/// the spaces they stand for) as one.
#[derive(Debug, PartialEq)]
enum Read<'a> {
    Text(String),
    Event(Event<'a>),
}

struct Reading<'a> {
    parser: Parser<'a>,
    after_text: Option<Event<'a>>,
}

fn reading(text: &str) -> Reading<'_> {
    Reading { parser: Parser::new_ext(text, options()), after_text: None }
}

impl<'a> Iterator for Reading<'a> {
    type Item = Read<'a>;

    fn next(&mut self) -> Option<Read<'a>> {
        if let Some(event) = self.after_text.take() {
            return Some(Read::Event(event));
        }
        let mut text = String::new();
        for event in self.parser.by_ref() {
            match event {
                Event::Text(piece) => text.push_str(&piece),
                Event::SoftBreak => text.push(' '),
                event if text.is_empty() => return Some(Read::Event(event)),
                event => {
                    self.after_text = Some(event);
                    return Some(Read::Text(text));
                }
            }
        }
        (!text.is_empty()).then_some(Read::Text(text))
    }
}

fn wrapped_unchecked(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // The fence that opened the code block the lines are in: its character and length.
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        // A line's text after its quote and list markers: a fence may stand in either.
        let (continuation, markers) = continuation_of(line);
        let inner = &line[markers..];
        let run = |c: char| inner.len() - inner.trim_start_matches(c).len();
        if let Some((c, length)) = fence {
            if run(c) >= length && inner.trim_start_matches(c).trim().is_empty() {
                fence = None;
            }
        } else if let Some(c) = ['`', '~'].into_iter().find(|c| run(*c) >= 3) {
            fence = Some((c, run(c)));
        } else if line.chars().count() > width
            && indent < 4
            // Not code (a tab, or spaces past the markers), a heading, or a table's row.
            && !inner.starts_with(|c: char| c == '#' || c.is_whitespace())
            && !line.contains('|')
            // A continuation as wide as the line would leave room for a word a line.
            && continuation.len() <= width / 2
        {
            wrap_line(line, width, &continuation, markers, &mut out);
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// What a line's continuation starts with: its indentation and each of its markers again, a
/// block quote's `>` as it is and a list marker as spaces of its width (clippy flags a
/// continuation without them), and how many bytes of the line its indentation and markers
/// take (no break is made within them).
fn continuation_of(line: &str) -> (String, usize) {
    let mut rest = line.trim_start_matches(' ');
    let mut continuation = " ".repeat(line.len() - rest.len());
    loop {
        if let Some(quoted) = rest.strip_prefix('>') {
            continuation.push_str("> ");
            rest = quoted.strip_prefix(' ').unwrap_or(quoted);
        } else if let marker @ 1.. = list_marker_width(rest) {
            continuation.push_str(&" ".repeat(marker));
            rest = &rest[marker..];
        } else {
            return (continuation, line.len() - rest.len());
        }
    }
}

/// The width of the list marker a line starts with (`- `, `* `, `+ `, `1. `, `1) `), or 0.
fn list_marker_width(line: &str) -> usize {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = match line[digits..].chars().next() {
        Some('-' | '*' | '+') if digits == 0 => 1,
        Some('.' | ')') if (1..=9).contains(&digits) => digits + 1,
        _ => return 0,
    };
    // The item's text starts after one to four spaces (five or more: one, and indented code).
    match line[marker..].len() - line[marker..].trim_start_matches(' ').len() {
        0 => 0,
        spaces @ 1..=4 => marker + spaces,
        _ => marker + 1,
    }
}

/// Whether a line starting with `text` could open a block, or end a paragraph, of its own.
fn could_open_block(text: &str) -> bool {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    // `[`: a line starting `[label]:` is a link definition, and clippy flags one in a list
    // item even where CommonMark reads it as text.
    text.starts_with(['-', '+', '*', '#', '>', '|', '=', '<', '_', '['])
        || text.starts_with("```")
        || text.starts_with("~~~")
        || (digits > 0 && text[digits..].starts_with(['.', ')']))
}

/// Whether a line of `text` alone would be a link definition, `[label]: destination`, as
/// `- [`Client::x`]: `POST` cut from its path would be.
fn reads_as_link_definition(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with('[') && text.split_once("]:").is_some_and(|(_, after)| !after.trim().contains(' '))
}

/// One long line as lines of at most `width` characters where a break can be had (a word
/// longer than that stands alone), each after the first starting with `continuation`.
fn wrap_line(line: &str, width: usize, continuation: &str, markers: usize, out: &mut String) {
    let mut rest = line;
    let mut prefix = "";
    // Not within the first line's indentation and markers.
    let mut first_break = markers;
    loop {
        let room = width.saturating_sub(prefix.len());
        // Breaks: a single space between two words, before text that cannot open a block.
        let breaks = rest.char_indices().filter(|&(at, c)| {
            c == ' '
                && at > first_break
                && !rest[..at].ends_with(' ')
                && !rest[at + 1..].starts_with(' ')
                && !rest[at + 1..].is_empty()
                && !could_open_block(&rest[at + 1..])
                // A backslash before a line's end is a hard break; within `<...>` a space
                // belongs to a link's destination.
                && !rest[..at].ends_with('\\')
                && rest[..at].matches('<').count() <= rest[..at].matches('>').count()
                && !reads_as_link_definition(&rest[first_break..at])
        });
        let mut chosen = None;
        for (at, _) in breaks {
            if rest[..at].chars().count() <= room || chosen.is_none() {
                chosen = Some(at);
            }
            if rest[..at].chars().count() > room {
                break;
            }
        }
        out.push_str(prefix);
        match chosen.filter(|_| rest.chars().count() > room) {
            Some(at) => {
                out.push_str(&rest[..at]);
                out.push('\n');
                rest = &rest[at + 1..];
                prefix = continuation;
                first_break = 0;
            }
            None => {
                out.push_str(rest);
                out.push('\n');
                return;
            }
        }
    }
}

/// Spec text for a place that takes one line, such as a summary after a list marker.
pub(crate) fn one_line(text: &str) -> String {
    if is_plain(text) { single_spaced(text) } else { one_line_read(text) }
}

/// [`one_line`] by reading the text as CommonMark.
fn one_line_read(text: &str) -> String {
    // A hard line break (`\` at the end of a line) is a space on one line.
    let step = |text: &str| single_spaced(&rewrite(text).replace("\\\n", "\n"));
    settle(&visible(text), step, code_span)
}

/// The text's words, one space apart.
fn single_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the text is one line of words and punctuation that means nothing to CommonMark or
/// rustdoc (most summaries), which every reading leaves as it is: such text is not parsed.
/// It starts with a letter (no list marker, heading or indent), and has no line break, no
/// character that could start markup, an entity, an escape or a URL.
fn is_plain(text: &str) -> bool {
    text.starts_with(char::is_alphabetic)
        && !text.ends_with(char::is_whitespace)
        && text.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '.' | ',' | ';' | ':' | '\'' | '"' | '?' | '(' | ')' | '-' | '/')
        })
        && !text.contains("://")
}

/// Text with CR line ends made LF, and other control characters and the bidirectional
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) written as escapes.
pub(crate) fn visible(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    crate::format::escape_chars(&text, crate::format::needs_escape)
}

/// `step` applied until its result no longer changes. Each rewrite is made to be stable, so
/// the second reading confirms the first; text that keeps changing is shown as `fallback`
/// makes it (literal text), never as it stands.
fn settle(text: &str, step: impl Fn(&str) -> String, fallback: impl Fn(&str) -> String) -> String {
    let mut current = step(text);
    // Text the step left as it was is stable already (most descriptions): no second reading.
    if current == text {
        return current;
    }
    for _ in 0..3 {
        let next = step(&current);
        if next == current {
            return current;
        }
        current = next;
    }
    fallback(text)
}

/// The text as one `text` code block, for text that no rewrite makes stable.
fn text_block(text: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(text).max(2) + 1);
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

/// The text as one code span (on one line), or nothing for blank text.
pub(crate) fn code_span(text: &str) -> String {
    let code = single_spaced(&visible(text));
    if code.is_empty() {
        return code;
    }
    let fence = "`".repeat(longest_backtick_run(&code) + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{code}{pad}{fence}")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// One reading of the text: the block fixes, then the fixes each event of the parse needs.
fn rewrite(text: &str) -> String {
    let text = normalize(text);
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(&text, options()).into_offset_iter().collect();
    let mut rewriter = Rewriter {
        source: &text,
        events: &events,
        edits: Vec::new(),
        open: Vec::new(),
        links: Vec::new(),
        content_start: None,
        single_line: false,
        code_end: 0,
    };
    rewriter.run();
    let out = apply(&text, rewriter.edits);
    // Markup dropped from the first lines (`<div>`) leaves no blank lines before the text.
    let first_text = out.split_inclusive('\n').take_while(|line| line.trim().is_empty()).map(str::len).sum::<usize>();
    out[first_text..].to_owned()
}

/// [`normalize_blocks`] on the prose between code blocks.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut prose_start = 0;
    for range in code_blocks(text) {
        let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1).max(prose_start);
        out.push_str(&normalize_blocks(&text[prose_start..line_start]));
        out.push_str(&text[line_start..range.end]);
        prose_start = range.end;
    }
    out.push_str(&normalize_blocks(&text[prose_start..]));
    out
}

/// Where the code blocks of CommonMark text are.
fn code_blocks(text: &str) -> Vec<Range<usize>> {
    let events = Parser::new_ext(text, options()).into_offset_iter();
    events.filter_map(|(event, range)| matches!(event, Event::Start(Tag::CodeBlock(_))).then_some(range)).collect()
}

/// Block-level fixes for prose: a line that follows a list item without indentation is meant
/// as a new paragraph, and gets the blank line Markdown (and clippy's
/// `doc_lazy_continuation`) wants.
fn normalize_blocks(text: &str) -> String {
    let is_list_item = |line: &str| {
        let line = line.trim_start();
        line.starts_with("- ")
            || line.starts_with("* ")
            || line
                .split_once(". ")
                .is_some_and(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut in_list = false;
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.trim().is_empty() {
            in_list = false;
        } else if is_list_item(line) {
            in_list = true;
        } else if in_list && trimmed.len() == line.len() {
            out.push('\n');
            in_list = false;
        }
        out.push_str(line);
    }
    out
}

/// Whether a link target may stay: http(s), relative (no scheme at all) or an intra-doc path
/// (`crate::Client::x`). Browsers ignore tabs and newlines in a URL, so they are dropped
/// before the scheme is looked for.
fn is_safe_link(target: &str) -> bool {
    let target: String =
        target.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    // A scheme is letters (then letters, digits, `+`, `-`, `.`) before a single `:`; an
    // intra-doc path has none.
    let scheme = target.split_once(':').filter(|(scheme, rest)| {
        !rest.starts_with(':')
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    matches!(scheme.map(|(scheme, _)| scheme), None | Some("http" | "https"))
}

/// An `href` as the target of a Markdown link (`[text](target)`), if it is a safe one. The
/// check is made on what rustdoc will read from the target, not on the HTML.
fn link_target(href: &str) -> Option<String> {
    let href = href.trim_matches(|c: char| c.is_ascii_whitespace());
    if href.is_empty() {
        return None;
    }
    // Balanced parentheses may stand in a Markdown link target; others are encoded.
    let mut depth = 0_usize;
    let balanced = href.chars().all(|c| match c {
        '(' => {
            depth += 1;
            true
        }
        ')' => depth.checked_sub(1).map(|rest| depth = rest).is_some(),
        _ => true,
    }) && depth == 0;
    let mut target = String::with_capacity(href.len());
    for c in href.chars() {
        if c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '\\') || !balanced && matches!(c, '(' | ')') {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                target.push_str(&format!("%{byte:02X}"));
            }
        } else {
            target.push(c);
        }
    }
    let markdown = format!("[x]({target})");
    let read = Parser::new(&markdown).find_map(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.into_string()),
        _ => None,
    })?;
    // Both as the HTML means it (tabs and newlines dropped) and as rustdoc will read it
    // (entities decoded).
    (is_safe_link(href) && is_safe_link(&read)).then_some(target)
}

/// A change to the source: the range and what replaces it.
struct Edit {
    range: Range<usize>,
    with: Replacement,
}

enum Replacement {
    Text(String),
    /// A paragraph break (`<p>`, `<div>`), unless the line has nothing before or after it:
    /// decided when the edits are applied.
    Break,
}

/// The source with the edits made (in the order of where they start; an edit that would
/// overlap one before it is left out, and the next reading sees what it was for).
fn apply(source: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut out = String::with_capacity(source.len() + 64);
    let mut done = 0;
    for edit in edits {
        if edit.range.start < done {
            continue;
        }
        out.push_str(&source[done..edit.range.start]);
        match edit.with {
            Replacement::Text(text) => {
                // A backslash of the source before markup put after it (`\<https://...>`)
                // would escape the markup: it is escaped itself.
                let backslashes = out.len() - out.trim_end_matches('\\').len();
                if backslashes % 2 == 1 && text.starts_with(|c: char| c.is_ascii_punctuation()) {
                    out.push('\\');
                }
                out.push_str(&text);
            }
            Replacement::Break => {
                let before = out.rsplit('\n').next().unwrap_or_default();
                let after = source[edit.range.end..].split('\n').next().unwrap_or_default();
                if !only_markers(before) && !only_tags(after) {
                    out.push_str("\n\n");
                }
            }
        }
        done = edit.range.end;
        // Markup dropped at the start of a line takes the spaces after it along: they would
        // indent the line (four make a code block).
        if edit.range.start < edit.range.end && only_markers(out.rsplit('\n').next().unwrap_or_default()) {
            let rest = &source[done..];
            done += rest.len() - rest.trim_start_matches([' ', '\t']).len();
        }
    }
    out.push_str(&source[done..]);
    out
}

/// Whether a line so far holds no text: only indentation and block quote or list markers.
fn only_markers(line: &str) -> bool {
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = if rest.starts_with(['>', '-', '*', '+']) {
            1
        } else if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            return false;
        };
        let after = &rest[marker..];
        // A list marker is followed by a space (`**` is no marker).
        if !rest.starts_with('>') && !after.is_empty() && !after.starts_with([' ', '\t']) {
            return false;
        }
        rest = after.trim_start();
    }
    true
}

/// Whether the rest of a line holds no text: only HTML tags and whitespace.
fn only_tags(rest: &str) -> bool {
    let mut rest = rest.trim_start();
    while let Some(tag) = rest.strip_prefix('<') {
        match tag.find('>') {
            Some(end) => rest = tag[end + 1..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

/// An HTML tag as CommonMark reads one: `<name attr="value" ...>`, `<name/>` or `</name>`.
struct HtmlTag {
    /// Lowercase.
    name: String,
    closing: bool,
    self_closing: bool,
    attributes: Vec<(String, String)>,
    /// Its length in the source.
    len: usize,
}

impl HtmlTag {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(attribute, _)| attribute == name).map(|(_, value)| value.as_str())
    }
}

/// The tag at the start of `html`, if one starts there.
fn parse_tag(html: &str) -> Option<HtmlTag> {
    let bytes = html.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    let mut at = if closing { 2 } else { 1 };
    if bytes.first() != Some(&b'<') || !bytes.get(at)?.is_ascii_alphabetic() {
        return None;
    }
    let name_start = at;
    while bytes.get(at).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-') {
        at += 1;
    }
    let name = html[name_start..at].to_ascii_lowercase();
    let skip_space = |mut at: usize| {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        at
    };
    let mut attributes = Vec::new();
    loop {
        let spaced = skip_space(at);
        let (self_closing, len) = match bytes.get(spaced)? {
            b'>' => (false, spaced + 1),
            b'/' if !closing && bytes.get(spaced + 1) == Some(&b'>') => (true, spaced + 2),
            _ => (false, 0),
        };
        if len > 0 {
            return Some(HtmlTag { name, closing, self_closing, attributes, len });
        }
        match bytes.get(spaced)? {
            b if !closing && spaced > at && (b.is_ascii_alphabetic() || matches!(b, b'_' | b':')) => {
                let attribute_start = spaced;
                at = spaced;
                while bytes.get(at).is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
                {
                    at += 1;
                }
                let attribute = html[attribute_start..at].to_ascii_lowercase();
                let mut value = "";
                let equals = skip_space(at);
                if bytes.get(equals) == Some(&b'=') {
                    let value_start = skip_space(equals + 1);
                    match bytes.get(value_start)? {
                        quote @ (b'"' | b'\'') => {
                            let end = value_start + 1 + html[value_start + 1..].find(*quote as char)?;
                            value = &html[value_start + 1..end];
                            at = end + 1;
                        }
                        _ => {
                            let end = html[value_start..]
                                .find(|c: char| {
                                    c.is_ascii_whitespace() || matches!(c, '"' | '\'' | '=' | '<' | '>' | '`')
                                })
                                .map_or(html.len(), |n| value_start + n);
                            if end == value_start {
                                return None;
                            }
                            value = &html[value_start..end];
                            at = end;
                        }
                    }
                }
                attributes.push((attribute, value.to_owned()));
            }
            _ => return None,
        }
    }
}

/// The HTML elements that become Markdown with their end tag.
#[derive(Clone, Copy, PartialEq)]
enum Element {
    Link,
    Strong,
    Emphasis,
    Code,
}

impl Element {
    fn named(name: &str) -> Option<Self> {
        match name {
            "a" => Some(Self::Link),
            "b" | "strong" => Some(Self::Strong),
            "em" | "i" => Some(Self::Emphasis),
            "code" => Some(Self::Code),
            _ => None,
        }
    }
}

/// An HTML element whose end tag has not come yet. Its start tag is dropped unless the end
/// tag comes in the same block.
enum Open {
    /// `<a href>`: the start tag's edit becomes `[` and the end tag `](target)`.
    Link { edit: usize, target: String },
    /// `<b>`, `<em>`: the edit (after the start tag and the spaces that follow it) that
    /// becomes the marker.
    Emphasis { element: Element, edit: usize, marker: &'static str },
    /// `<code>`: everything from the start tag to the end tag becomes one code span, made of
    /// the text between them; `mark` is where its edits start.
    Code { mark: usize, start: usize, content: String },
    /// An element whose tags are dropped: an `<a>` without a safe `href`, or in a link.
    Dropped(Element),
}

impl Open {
    fn element(&self) -> Element {
        match self {
            Open::Link { .. } => Element::Link,
            Open::Emphasis { element, .. } | Open::Dropped(element) => *element,
            Open::Code { .. } => Element::Code,
        }
    }
}

/// The state of one reading: the edits so far and what is open where the events are.
struct Rewriter<'a> {
    source: &'a str,
    events: &'a [(Event<'a>, Range<usize>)],
    edits: Vec<Edit>,
    open: Vec<Open>,
    /// The Markdown links and images around, and whether each keeps its target.
    links: Vec<bool>,
    /// Where the inline content of the current block starts.
    content_start: Option<usize>,
    /// In a heading or a table cell, where a line cannot break.
    single_line: bool,
    /// Where the last code block ends.
    code_end: usize,
}

impl Rewriter<'_> {
    fn replace(&mut self, range: Range<usize>, text: impl Into<String>) -> usize {
        self.edits.push(Edit { range, with: Replacement::Text(text.into()) });
        self.edits.len() - 1
    }

    fn insert(&mut self, at: usize, text: impl Into<String>) -> usize {
        self.replace(at..at, text)
    }

    fn run(&mut self) {
        let events = self.events;
        let mut index = 0;
        while index < events.len() {
            let (event, range) = &events[index];
            let range = range.clone();
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    self.end_block();
                    index = self.code_block(index, matches!(kind, CodeBlockKind::Fenced(_)));
                    continue;
                }
                Event::Start(Tag::HtmlBlock) => {
                    self.end_block();
                    self.html_block(range);
                    while index < events.len() && !matches!(events[index].0, Event::End(TagEnd::HtmlBlock)) {
                        index += 1;
                    }
                    self.end_block();
                }
                Event::Start(Tag::Link { link_type, dest_url, .. } | Tag::Image { link_type, dest_url, .. }) => {
                    self.inline_start(range.start);
                    let keep = *link_type == LinkType::Email || is_safe_link(dest_url);
                    if !keep {
                        // `[text](javascript:...)`: the text stays, the link goes.
                        match &events[index + 1] {
                            (Event::End(_), _) => _ = self.replace(range, ""),
                            (_, first) => _ = self.replace(range.start..first.start, ""),
                        }
                    }
                    self.links.push(keep);
                }
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    let keep = self.links.pop().unwrap_or(true);
                    let (last, last_range) = &events[index - 1];
                    if !keep && !matches!(last, Event::Start(_)) {
                        self.replace(last_range.end..range.end, "");
                    }
                }
                Event::Start(tag) if is_inline(tag) => self.inline_start(range.start),
                Event::Start(tag) => {
                    self.end_block();
                    self.single_line = matches!(tag, Tag::Heading { .. } | Tag::TableCell);
                }
                Event::End(tag) if is_inline_end(*tag) => {}
                Event::End(_) => {
                    self.end_block();
                    self.single_line = false;
                }
                Event::Text(text) => {
                    // pulldown-cmark splits text (at an escape, an entity, a `_`): one run of
                    // it is one text, so that a URL is found whole.
                    let mut end = range.end;
                    let mut decoded = text.to_string();
                    while let Some((Event::Text(next), next_range)) = events.get(index + 1) {
                        if !matches!(&self.source[end..next_range.start], "" | "\\") {
                            break;
                        }
                        decoded.push_str(next);
                        end = next_range.end;
                        index += 1;
                    }
                    // A run that starts with an escaped character starts at its backslash.
                    let backslashes =
                        self.source[..range.start].len() - self.source[..range.start].trim_end_matches('\\').len();
                    let start = range.start - backslashes % 2;
                    self.inline_start(start);
                    self.text(start..end, &decoded);
                }
                Event::Code(code) => {
                    self.inline_start(range.start);
                    self.code_content(code);
                }
                Event::InlineHtml(_) => {
                    self.inline_start(range.start);
                    self.inline_html(index, range);
                }
                Event::SoftBreak | Event::HardBreak => self.code_content(" "),
                Event::FootnoteReference(_) => self.inline_start(range.start),
                _ => {}
            }
            index += 1;
        }
        self.end_block();
    }

    /// A block starts or ends: HTML elements still open stay dropped.
    fn end_block(&mut self) {
        self.open.clear();
        self.content_start = None;
    }

    fn inline_start(&mut self, at: usize) {
        self.content_start.get_or_insert(at);
    }

    fn in_link(&self) -> bool {
        self.links.iter().any(|keep| *keep) || self.open.iter().any(|open| matches!(open, Open::Link { .. }))
    }

    fn code_content(&mut self, text: &str) {
        for open in &mut self.open {
            if let Open::Code { content, .. } = open {
                content.push_str(text);
            }
        }
    }

    /// The code block that starts at event `index` as a `text` block; the index after it.
    fn code_block(&mut self, index: usize, fenced: bool) -> usize {
        let range = self.events[index].1.clone();
        let mut code = String::new();
        let mut end = index + 1;
        while let Some((event, _)) = self.events.get(end) {
            match event {
                Event::Text(text) => code.push_str(text),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
            end += 1;
        }
        let text = self.source;
        // The block's line starts with its container's markers or indentation (a list item's,
        // a block quote's), and for an indented block four more spaces; the fence goes where
        // the container's content starts, and the lines after it are indented as the
        // container's continuation lines.
        let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1).max(self.code_end);
        let prefix = &text[line_start..range.start];
        let lead = if fenced { prefix } else { prefix.get(..prefix.len().saturating_sub(4)).unwrap_or_default() };
        let indent = continuation(lead);
        let fence = "`".repeat(longest_backtick_run(&code).max(2) + 1);
        let mut out = format!("{lead}{fence}text\n");
        for line in code.lines() {
            out.push_str(&indent);
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&indent);
        out.push_str(&fence);
        if text[..range.end].ends_with('\n') {
            out.push('\n');
        }
        self.replace(line_start..range.end, out);
        self.code_end = range.end;
        end + 1
    }

    /// Text: the fixes of [`text_fixes`], and its part of the code spans being built.
    fn text(&mut self, range: Range<usize>, decoded: &str) {
        self.code_content(decoded);
        let urls = !self.in_link();
        for (at, fix) in text_fixes(&self.source[range.clone()], urls) {
            self.replace(range.start + at.start..range.start + at.end, fix);
        }
    }

    /// Source that is shown as text although it looks like HTML: escaped.
    fn escape(&mut self, range: Range<usize>) {
        let raw = self.source[range.clone()].to_owned();
        self.text(range, &raw);
    }

    fn inline_html(&mut self, index: usize, range: Range<usize>) {
        let html = &self.source[range.clone()];
        if html.starts_with("<!--") {
            // A comment: not shown on the web page either.
            self.replace(range, "");
            return;
        }
        match parse_tag(html) {
            Some(tag) if tag.len == html.len() => self.tag(&tag, range, Some(index)),
            _ => self.escape(range),
        }
    }

    /// An HTML block: its tags and text, read one by one.
    fn html_block(&mut self, range: Range<usize>) {
        let source = self.source;
        let mut text_start = range.start;
        let mut at = range.start;
        while let Some(found) = source[at..range.end].find('<') {
            let tag_start = at + found;
            let rest = &source[tag_start..range.end];
            let end = if rest.starts_with("<!--") {
                rest.find("-->").map(|close| (None, close + 3))
            } else {
                parse_tag(rest).map(|tag| {
                    let len = tag.len;
                    (Some(tag), len)
                })
            };
            let Some((tag, len)) = end else {
                at = tag_start + 1;
                continue;
            };
            let text = decode_entities(&source[text_start..tag_start]);
            self.text(text_start..tag_start, &text);
            match tag {
                Some(tag) => self.tag(&tag, tag_start..tag_start + len, None),
                None => _ = self.replace(tag_start..tag_start + len, ""),
            }
            at = tag_start + len;
            text_start = at;
        }
        let text = decode_entities(&source[text_start..range.end]);
        self.text(text_start..range.end, &text);
    }

    /// An HTML tag, at event `event` if it is inline HTML (else in an HTML block).
    fn tag(&mut self, tag: &HtmlTag, range: Range<usize>, event: Option<usize>) {
        let element = Element::named(&tag.name);
        match (tag.name.as_str(), element) {
            (_, Some(element)) if tag.closing => self.close(element, range),
            (_, Some(_)) if tag.self_closing => _ = self.replace(range, ""),
            (_, Some(Element::Link)) => {
                let target = tag.attribute("href").and_then(link_target).filter(|_| !self.in_link());
                let edit = self.open_marker(range);
                self.open.push(match target {
                    Some(target) => Open::Link { edit, target },
                    None => Open::Dropped(Element::Link),
                });
            }
            (_, Some(element @ (Element::Strong | Element::Emphasis))) => {
                let edit = self.open_marker(range);
                let marker = if element == Element::Strong { "**" } else { "*" };
                self.open.push(Open::Emphasis { element, edit, marker });
            }
            (_, Some(Element::Code)) => {
                let mark = self.edits.len();
                self.replace(range.clone(), "");
                self.open.push(Open::Code { mark, start: range.start, content: String::new() });
            }
            ("br", None) => self.line_break(range, event),
            ("p" | "div", None) if self.single_line => _ = self.replace(range, " "),
            ("p" | "div", None) => self.edits.push(Edit { range, with: Replacement::Break }),
            ("img", None) => {
                let alt = tag.attribute("alt").map(single_spaced);
                let alt = alt.filter(|alt| !alt.is_empty() && !tag.closing);
                self.replace(range, alt.map(|alt| format!("*{}*", escape_inline(&alt))).unwrap_or_default());
            }
            // Any other tag (`<script>`, `<name>`) is text; inside `<code>`, as written.
            _ => self.escape(range),
        }
    }

    /// The start tag of an element that becomes Markdown markers: dropped, and the index of
    /// the edit that becomes the opening marker when the end tag comes. The marker goes after
    /// the spaces that follow the tag, since `** x**` is no emphasis.
    fn open_marker(&mut self, tag: Range<usize>) -> usize {
        let rest = &self.source[tag.end..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        self.replace(tag.clone(), "");
        self.insert(tag.end + spaces, "")
    }

    /// The end tag of an element opened by [`Self::open_marker`]: both markers, the closing
    /// one before the spaces that precede the tag, or neither if there is nothing between.
    fn close_marker(&mut self, edit: usize, tag: Range<usize>, open: &str, close: &str) {
        let start = self.edits[edit].range.start;
        let before = &self.source[..tag.start];
        let end = start.max(tag.start - (before.len() - before.trim_end_matches([' ', '\t']).len()));
        if !self.source[start..end].trim().is_empty() {
            self.edits[edit].with = Replacement::Text(open.into());
            self.insert(end, close);
        }
        self.replace(tag, "");
    }

    /// An end tag: it closes the last open element of its kind (those opened after that one
    /// stay dropped); one that closes nothing is dropped.
    fn close(&mut self, element: Element, range: Range<usize>) {
        let Some(at) = self.open.iter().rposition(|open| open.element() == element) else {
            self.replace(range, "");
            return;
        };
        self.open.truncate(at + 1);
        match self.open.pop() {
            Some(Open::Link { edit, target }) => self.close_marker(edit, range, "[", &format!("]({target})")),
            Some(Open::Emphasis { edit, marker, .. }) => self.close_marker(edit, range, marker, marker),
            Some(Open::Code { mark, start, content }) => {
                self.edits.truncate(mark);
                self.replace(start..range.end, code_span(&content));
            }
            Some(Open::Dropped(_)) | None => _ = self.replace(range, ""),
        }
    }

    /// `<br>`: a hard line break (`\` at the end of the line), where a line can break and
    /// something follows it.
    fn line_break(&mut self, range: Range<usize>, event: Option<usize>) {
        if self.single_line {
            self.replace(range, " ");
            return;
        }
        let Some(index) = event else {
            self.edits.push(Edit { range, with: Replacement::Break });
            return;
        };
        let (source, events) = (self.source, self.events);
        let significant =
            |(event, _): &&(Event, Range<usize>)| !matches!(event, Event::Text(text) if text.trim().is_empty());
        let newline = |range: &Range<usize>| range.start + source[range.clone()].find('\n').unwrap_or(0);
        let next = events[index + 1..].iter().find(significant);
        let previous = events[..index].iter().rev().find(significant);
        let within_line = match (next, previous) {
            // At the end of a line, or at the start of one: that line break becomes hard.
            (Some((Event::SoftBreak, line_end)), _) | (_, Some((Event::SoftBreak, line_end))) => {
                self.insert(newline(line_end), "\\");
                false
            }
            // At the end or the start of the block, or beside a hard line break.
            (None | Some((Event::HardBreak, _)), _) | (_, None | Some((Event::HardBreak, _))) => false,
            (Some((Event::End(end), _)), _) if !is_inline_end(*end) => false,
            (_, Some((Event::Start(start), _))) if !is_inline(start) => false,
            _ => true,
        };
        let mut text = String::new();
        if within_line {
            // The next line is indented as the block's first one.
            let start = self.content_start.unwrap_or(range.start);
            let line_start = source[..start].rfind('\n').map_or(0, |at| at + 1);
            text = format!("\\\n{}", continuation(&source[line_start..start]));
        }
        self.replace(range, text);
    }
}

/// What starts the continuation lines of a block whose first line starts with `prefix`:
/// its block quote markers, and spaces for its list markers and indentation.
fn continuation(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 2);
    let mut chars = prefix.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A block quote's marker takes the one space after it: `>1.` continues as `>    `.
            '>' if !matches!(chars.peek(), Some(' ' | '\t')) => out.push_str("> "),
            '>' | '\t' => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The fixes text needs, by range within it: brackets escaped (rustdoc reads `[x]` as an
/// intra-doc link), `<` as `&lt;` (it would start a tag), and bare http(s) URLs wrapped in
/// `<>` (rustdoc warns about them) unless `urls` is false (in a link's text). Backslash
/// escapes and entities stay as they are.
fn text_fixes(text: &str, urls: bool) -> Vec<(Range<usize>, &'static str)> {
    let mut fixes = Vec::new();
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let rest = &text[at..];
        match c {
            '\\' if rest[1..].starts_with(|c: char| c.is_ascii_punctuation()) => {
                at += 2;
                continue;
            }
            '[' => fixes.push((at..at + 1, "\\[")),
            ']' => fixes.push((at..at + 1, "\\]")),
            '<' => fixes.push((at..at + 1, "&lt;")),
            'h' if urls && (rest.starts_with("https://") || rest.starts_with("http://")) => {
                let end = url_end(rest);
                fixes.push((at..at, "<"));
                // An autolink reads backslashes as they are: the escapes go.
                let mut chars = rest[..end].char_indices();
                while let Some((index, c)) = chars.next() {
                    if c == '\\' && rest[index + 1..end].starts_with(|c: char| c.is_ascii_punctuation()) {
                        fixes.push((at + index..at + index + 1, ""));
                        chars.next();
                    }
                }
                fixes.push((at + end..at + end, ">"));
                at += end;
                continue;
            }
            _ => {}
        }
        at += c.len_utf8();
    }
    fixes
}

/// Where the URL at the start of `text` ends: at a space, a quote or an angle bracket, at a
/// `)` it does not open, and before a full stop or comma that ends the sentence.
fn url_end(text: &str) -> usize {
    let mut depth = 0;
    let mut end = text.len();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let stop = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`');
        match c {
            c if stop(c) => {
                end = at;
                break;
            }
            '\\' => match chars.peek() {
                Some((_, next)) if stop(*next) || *next == ')' && depth == 0 => {
                    end = at;
                    break;
                }
                Some((_, next)) if next.is_ascii_punctuation() => _ = chars.next(),
                _ => {}
            },
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = at;
                break;
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    // A full stop or comma after a URL ends the sentence, not the URL (and a backslash left
    // at the end escaped one).
    let mut url = &text[..end];
    while let Some(shorter) = url.strip_suffix(['.', ',', ';', ':', '\\']) {
        url = shorter;
    }
    url.len()
}

/// Text (an `alt`) to show as it is in Markdown: what would be markup escaped, URLs
/// wrapped in `<>`.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let rest = &text[at..];
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let end = url_end(rest);
            out.push('<');
            out.push_str(&rest[..end]);
            out.push('>');
            at += end;
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        at += c.len_utf8();
    }
    out
}

/// HTML text with its common entities decoded (for a code span, which shows entities as
/// they are written).
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest.find(';').filter(|end| *end <= 10).map(|end| &rest[1..end]);
        let decoded = entity.and_then(|entity| match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => {
                let number = entity.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(entity), Some(c)) => {
                out.push(c);
                rest = &rest[entity.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{is_plain, one_line, one_line_read, rustdoc_markdown, rustdoc_markdown_read};

    /// Every string of a YAML document, keys left out.
    fn strings(value: &serde_yaml::Value, out: &mut Vec<String>) {
        match value {
            serde_yaml::Value::String(text) => out.push(text.clone()),
            serde_yaml::Value::Sequence(items) => items.iter().for_each(|item| strings(item, out)),
            serde_yaml::Value::Mapping(map) => map.values().for_each(|item| strings(item, out)),
            _ => {}
        }
    }

    /// Plain text skips the reading: every plain string of the workspace spec, and plain text
    /// made to look like markup, reads the same as it would through the parser.
    #[test]
    fn plain_text_reads_as_the_parser_would_leave_it() {
        let spec: serde_yaml::Value =
            serde_yaml::from_str(include_str!("../../../../specs/rocketchat.yaml")).unwrap_or_else(|e| panic!("{e}"));
        let mut texts = Vec::new();
        strings(&spec, &mut texts);
        texts.extend(
            [
                "Leaves the group: (only) if you are not its last owner.",
                "Use it  twice; keep 1. Then: \"quoted\" and 'single' / slashed-words?",
                "A ratio of 3:4 for Ünïcödé text, not http or https",
                "Name",
            ]
            .map(String::from),
        );
        let plain: Vec<&String> = texts.iter().filter(|text| is_plain(text)).collect();
        assert!(plain.len() > 100, "{} plain texts", plain.len());
        for text in plain {
            assert_eq!(rustdoc_markdown(text), rustdoc_markdown_read(text), "{text:?}");
            assert_eq!(one_line(text), one_line_read(text), "{text:?}");
        }
        for markup in
            ["1. First", "- item", "a [link]", "a_b_", "<b>", "x &amp; y", "see https://x.y", "a\nb", " indented"]
        {
            assert!(!is_plain(markup), "{markup:?}");
        }
    }

    /// Wrapping moves line breaks and nothing else: every string of the workspace spec and of
    /// Rocket.Chat's published files (where the checkout has them beside it), as rustdoc
    /// Markdown, and lines made to tempt a wrong break, read as they did, and no line it
    /// could break stays longer than the width.
    #[test]
    fn wrapped_text_reads_as_the_text_it_came_from() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = vec![root.join("specs/rocketchat.yaml")];
        if let Ok(entries) = std::fs::read_dir(root.join("../shared/rocketchat-openapi")) {
            files.extend(entries.map(|entry| entry.unwrap().path()));
        }
        let mut texts = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let spec: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            strings(&spec, &mut texts);
        }
        let word = "word ".repeat(20);
        texts.push(format!("> {word}{word}\n>\n> - {word}{word}"));
        texts.push(format!("-  {word}{word}\n\n1.   {word}{word}"));
        // What an earlier version broke (found in review).
        texts.push(format!("-     {word}{word}\n-\n  ```\n  {word}{word}\n  ```"));
        texts.push(format!("a | b\n--- | ---\n{word}{word} | {word}"));
        texts.push(format!("> | a | b |\n> | --- | --- |\n> | {word}{word} | x |"));
        texts.push(format!("- # Heading {word}{word}\n\n> # Heading {word}{word}"));
        // At the width of 60 the break would come right after the backslash.
        texts.push(format!("{} \\ {word}", "a".repeat(57)));
        texts.push(format!("{} [x](<https://e.com/a b>) {word}", "a".repeat(50)));
        texts.push(format!("{word}[x](<https://e.com/a b {word}>) {word}"));
        texts.push(format!("- - {word}{word}\n- > {word}{word}\n> - > {word}{word}"));
        texts.push(format!("{}{word}{word}", "> ".repeat(50)));
        texts.push(format!("\t{word}{word}\n\n>     {word}{word}\n\n>\u{e9}{word}{word}\n\n\u{a0}{word}{word}"));
        for tempting in
            ["- x", "* x", "+ x", "1. x", "2) x", "# x", "> x", "| x |", "=====", "---", "```", "~~~", "<div>"]
        {
            texts.push(format!("{word}{tempting} {word}"));
            texts.push(format!("- `400`: {word}{tempting} {word}"));
            texts.push(format!("12. {word}{tempting} {word}"));
        }
        texts.push(format!("{word}`a code  span with two spaces` {word}[a link](https://example.com/a) {word}"));
        texts.push(format!("- item\n\n  {word}{word}\n\n  ```\n  {word}{word}\n  ```\n\n    {word}{word}"));
        texts.push(format!("{word}a hard break  \n{word}{word}"));
        texts.push(format!("{}{word}", "x".repeat(120)));
        // The crate root's list of operations.
        texts.push(
            "- [`Client::post_api_v1_integrations_clear_history`]: `POST /api/v1/integrations.history` — Clear".into(),
        );
        texts.push(
            "[`Client::post_api_v1_integrations_clear_history`]: `POST /api/v1/integrations.history` — Clear".into(),
        );
        let mut wrapped_lines = 0;
        for text in &texts {
            let markdown = rustdoc_markdown(text);
            // Unchecked: the rules alone must keep the reading; the check is a backstop.
            let wrapped = super::wrapped_unchecked(&markdown, 60);
            let before: Vec<_> = super::reading(&markdown).collect();
            let after: Vec<_> = super::reading(&wrapped).collect();
            let first_difference = before.iter().zip(&after).position(|(a, b)| a != b);
            assert_eq!(after, before, "{markdown:?}\n---\n{wrapped}\n---\n{first_difference:?}");
            wrapped_lines += usize::from(wrapped != markdown);
        }
        assert!(wrapped_lines > 100, "{wrapped_lines} texts wrapped");
        let long = format!("- `400`: {word}{word}");
        let wrapped = super::wrapped(&long, 30);
        assert!(wrapped.lines().all(|line| line.len() <= 30), "{wrapped}");
        assert!(wrapped.lines().skip(1).all(|line| line.starts_with("  word")), "{wrapped}");
        assert!(super::wrapped(&format!("{word}- x"), 100).ends_with(" - x"), "a break before `- x` is not taken");
        let spaced = super::wrapped(&format!("-  {word}{word}"), 40);
        assert!(spaced.lines().skip(1).all(|line| line.starts_with("   word")), "{spaced}");
        let quote = super::wrapped(&format!("> - {word}{word}"), 40);
        assert!(quote.lines().skip(1).all(|line| line.starts_with(">   word")), "{quote}");
        // Every marker is written again, as clippy asks of a continuation.
        let nested = super::wrapped(&format!("- > - {word}{word}"), 40);
        assert!(nested.lines().skip(1).all(|line| line.starts_with("  >   word")), "{nested}");
        // Markers wider than half the line are left unwrapped, not a word a line.
        let deep = format!("{}{word}", "> ".repeat(30));
        assert_eq!(super::wrapped(&deep, 40), deep);
    }

    /// Nothing from a spec may become a doctest: whatever the fence, label or indentation.
    #[test]
    fn no_code_block_runs_as_a_doctest() {
        let cases = [
            (
                "```rust\nstd::fs::write(\"x\", \"\").unwrap();\n```\n",
                "```text\nstd::fs::write(\"x\", \"\").unwrap();\n```\n",
            ),
            ("```should_panic\npanic!()\n```", "```text\npanic!()\n```"),
            ("~~~\n{\"a\": 1}\n~~~\n", "```text\n{\"a\": 1}\n```\n"),
            ("Before:\n\n    let x = 1;\n\nAfter.", "Before:\n\n```text\nlet x = 1;\n```\n\nAfter."),
            ("```text\nhas ``` inside\n```", "````text\nhas ``` inside\n````"),
            ("- item\n\n  ```\n  code\n  ```\n", "- item\n\n  ```text\n  code\n  ```\n"),
        ];
        for (spec, doc) in cases {
            assert_eq!(rustdoc_markdown(spec), doc, "{spec:?}");
        }
    }

    #[test]
    fn control_characters_bidi_overrides_and_script_links_are_neutralized() {
        assert_eq!(rustdoc_markdown("a\rb\r\nc"), "a\nb\nc");
        assert_eq!(rustdoc_markdown("x\u{202E}y\u{1b}[31m"), "x\\u{202e}y\\u{1b}\\[31m");
        assert_eq!(rustdoc_markdown("[click](javascript:alert(1)) now"), "click now");
        assert_eq!(rustdoc_markdown("[x](JavaScript:void(0))"), "x");
        assert_eq!(rustdoc_markdown("[`a`](crate::Client::a)"), "[`a`](crate::Client::a)");
        assert_eq!(
            rustdoc_markdown("[docs](https://x.y) and [here](./a.md)"),
            "[docs](https://x.y) and [here](./a.md)"
        );
    }

    #[test]
    fn doc_text_is_made_safe_for_rustdoc() {
        assert_eq!(rustdoc_markdown("Not allowed [error-not-allowed]"), "Not allowed \\[error-not-allowed\\]");
        assert_eq!(rustdoc_markdown("see [docs](https://x.y) now"), "see [docs](https://x.y) now");
        assert_eq!(rustdoc_markdown("at https://x.y/z."), "at <https://x.y/z>.");
        assert_eq!(rustdoc_markdown("`[kept]` as code"), "`[kept]` as code");
        assert_eq!(rustdoc_markdown("a <name> tag"), "a &lt;name> tag");
        assert_eq!(rustdoc_markdown("see <https://x.y>"), "see <https://x.y>");
        assert_eq!(rustdoc_markdown("(https://x.y)"), "(<https://x.y>)");
        assert_eq!(rustdoc_markdown("e.g.\n```\n{\"a\": [1]}\n```\n"), "e.g.\n```text\n{\"a\": [1]}\n```\n");
        assert_eq!(rustdoc_markdown("```json\n[x]\n```"), "```text\n[x]\n```");
        assert_eq!(rustdoc_markdown("- a\n- b\nThen this.\n"), "- a\n- b\n\nThen this.\n");
        assert_eq!(rustdoc_markdown("- a\n  more of a\n"), "- a\n  more of a\n");
    }

    #[test]
    fn html_links_become_markdown_links() {
        let double =
            r#"See <a href="https://docs.rocket.chat/docs/general#utf8" target="_blank">UTF8 Settings</a> to modify."#;
        assert_eq!(
            rustdoc_markdown(double),
            "See [UTF8 Settings](https://docs.rocket.chat/docs/general#utf8) to modify."
        );
        let single = "the <a href='https://docs.rocket.chat/docs/integrations' target='_blank'>user guide</a>.";
        assert_eq!(rustdoc_markdown(single), "the [user guide](https://docs.rocket.chat/docs/integrations).");
        // Unquoted, upper case, spaces around the target and inside the text, attributes on
        // two lines.
        assert_eq!(rustdoc_markdown("<A HREF=https://x.y/a>X</A>"), "[X](https://x.y/a)");
        assert_eq!(rustdoc_markdown("the <a href=\" https://x.y \"> guide </a>."), "the  [guide](https://x.y) .");
        assert_eq!(rustdoc_markdown("a <a\nhref=\"https://x.y\"\ntarget=\"_blank\">b</a> c"), "a [b](https://x.y) c");
        // Brackets in the text, parentheses and spaces in the target.
        assert_eq!(rustdoc_markdown("<a href=\"https://x.y/a_(b)\">[1]</a>"), "[\\[1\\]](https://x.y/a_(b))");
        assert_eq!(rustdoc_markdown("<a href=\"https://x.y/a b)\">x</a>"), "[x](https://x.y/a%20b%29)");
        // A URL as the text is not wrapped again.
        assert_eq!(rustdoc_markdown("<a href=\"https://x.y\">https://x.y</a>"), "[https://x.y](https://x.y)");
        // Relative and intra-doc targets stay.
        assert_eq!(rustdoc_markdown("<a href=\"/docs/a\">a</a>"), "[a](/docs/a)");
    }

    #[test]
    fn html_links_without_a_safe_target_or_an_end_keep_their_text() {
        assert_eq!(rustdoc_markdown("see <a href='https://x.y'>docs"), "see docs");
        assert_eq!(rustdoc_markdown("see <a href='https://x.y'>docs\n\nmore</a>"), "see docs\n\nmore");
        assert_eq!(rustdoc_markdown("a</a> b"), "a b");
        assert_eq!(rustdoc_markdown("<a name=\"top\">Top</a>"), "Top");
        assert_eq!(rustdoc_markdown("<a href=\"https://x.y\"></a>empty"), "empty");
        assert_eq!(rustdoc_markdown("<a href=\"javascript:alert(1)\">click</a>"), "click");
        // An entity, a tab or a newline in the scheme: browsers read `javascript:` all the same.
        assert_eq!(rustdoc_markdown("<a href=\"javascript&#58;alert(1)\">click</a>"), "click");
        assert_eq!(rustdoc_markdown("<a href=\"java\tscript:alert(1)\">click</a>"), "click");
        assert_eq!(rustdoc_markdown("<a href=\"java\nscript:alert(1)\">click</a>"), "click");
        assert_eq!(rustdoc_markdown("<a href=\"data:text/html,x\">click</a>"), "click");
        // No link in a link: the inner one keeps its text.
        assert_eq!(
            rustdoc_markdown("<a href=\"https://a.b\">x <a href=\"https://c.d\">y</a></a>"),
            "[x y](https://a.b)"
        );
        assert_eq!(rustdoc_markdown("[x <a href=\"https://c.d\">y</a>](https://a.b)"), "[x y](https://a.b)");
    }

    #[test]
    fn html_line_breaks_paragraphs_and_emphasis_become_markdown() {
        // A `<br>` at the end or the start of a line makes that line break hard.
        assert_eq!(rustdoc_markdown("Get a unit. <br>\nPermission required"), "Get a unit. \\\nPermission required");
        assert_eq!(rustdoc_markdown("Create a user.\n<br>Permissions:"), "Create a user.\\\nPermissions:");
        // Within a line it breaks it, the next line indented as its block's.
        assert_eq!(rustdoc_markdown("a<br />b<br/>c"), "a\\\nb\\\nc");
        assert_eq!(rustdoc_markdown("- a<br>b"), "- a\\\n  b");
        assert_eq!(rustdoc_markdown("> a<BR>b"), "> a\\\n> b");
        // At the end of a paragraph, or where a line cannot break, it goes.
        assert_eq!(
            rustdoc_markdown("Set the priority.<br>\n\nPermission required"),
            "Set the priority.\n\nPermission required"
        );
        assert_eq!(rustdoc_markdown("# A<br>B"), "# A B");
        assert_eq!(rustdoc_markdown("<p>One.</p><p>Two.</p>"), "One.\n\nTwo.");
        assert_eq!(rustdoc_markdown("One.<div>Two.</div>"), "One.\n\nTwo.");
        let emphasis = "Use <b><a href=\"https://x.y/add\">Add License</a></b>, <em>now</em> or <i> never </i>.";
        assert_eq!(rustdoc_markdown(emphasis), "Use **[Add License](https://x.y/add)**, *now* or  *never* .");
        assert_eq!(rustdoc_markdown("<strong>unclosed"), "unclosed");
        assert_eq!(rustdoc_markdown("a <!-- hidden --> b"), "a  b");
        // On one line, a line break is a space.
        assert_eq!(one_line("Get a unit. <br>\nPermission required"), "Get a unit. Permission required");
        assert_eq!(one_line("a<br>b"), "a b");
    }

    #[test]
    fn html_code_becomes_a_code_span() {
        assert_eq!(rustdoc_markdown("call <code>chat.postMessage</code>"), "call `chat.postMessage`");
        assert_eq!(rustdoc_markdown("<code>a`b</code>"), "``a`b``");
        assert_eq!(rustdoc_markdown("<code>`a</code>"), "`` `a ``");
        // Entities mean characters, and brackets stay as they are, in a code span.
        assert_eq!(rustdoc_markdown("<code>&lt;T&gt; [x]</code>"), "`<T> [x]`");
        assert_eq!(rustdoc_markdown("<code>Vec<T></code>"), "`Vec<T>`");
        // Nested: code in a link, a link or emphasis in code.
        assert_eq!(rustdoc_markdown("<a href=\"https://x.y\"><code>y</code></a>"), "[`y`](https://x.y)");
        assert_eq!(rustdoc_markdown("<code><a href=\"https://x.y\">y</a> <b>z</b></code>"), "`y z`");
        assert_eq!(rustdoc_markdown("<code><code>x</code></code>"), "`x`");
        assert_eq!(rustdoc_markdown("<code>unclosed [x]"), "unclosed \\[x\\]");
    }

    #[test]
    fn html_images_become_their_alt_text() {
        // How the official specs mark premium endpoints.
        let premium = "<div style=\"text-align: center; margin: 1rem 0 1rem 0;\"><img \
            src=\"https://raw.githubusercontent.com/RocketChat/Rocket.Chat-Open-API/main/images/premium.svg\" \
            alt=\"Premium tag\" style=\"display: block; margin: auto;\"></div>\n\nSyncs data.";
        assert_eq!(rustdoc_markdown(premium), "*Premium tag*\n\nSyncs data.");
        let unclosed = "<div style=\"a\"><img src=\"x.svg\" alt=\"Enterprise\" style=\"display: block\">\n\nText.";
        assert_eq!(rustdoc_markdown(unclosed), "*Enterprise*\n\nText.");
        assert_eq!(rustdoc_markdown("a <img src=\"x.png\" alt=\"[*x*]\"> b"), "a *\\[\\*x\\*\\]* b");
        assert_eq!(rustdoc_markdown("a <img src=\"x.png\"> b"), "a  b");
    }

    /// A hostile spec cannot put HTML or script in the docs: other tags are shown as text.
    #[test]
    fn other_html_is_escaped_text() {
        assert_eq!(rustdoc_markdown("<script>alert(1)</script>"), "&lt;script>alert(1)&lt;/script>");
        assert_eq!(
            rustdoc_markdown("<script>\nalert(1)\n\n</script>\n\nz"),
            "&lt;script>\nalert(1)\n\n&lt;/script>\n\nz"
        );
        assert_eq!(
            rustdoc_markdown("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>"),
            "&lt;svg xmlns=\"<http://www.w3.org/2000/svg>\" onload=\"alert(1)\">&lt;/svg>"
        );
        assert_eq!(
            rustdoc_markdown("a <iframe src=x> b <![CDATA[x]]>"),
            "a &lt;iframe src=x> b &lt;!\\[CDATA\\[x\\]\\]>"
        );
        assert_eq!(rustdoc_markdown("[x](javascript:alert(1)) <javascript:alert(1)>"), "x javascript:alert(1)");
        assert_eq!(rustdoc_markdown("![x](javascript:alert(1)) ![y](https://x.y/y.png)"), "x ![y](https://x.y/y.png)");
        // A backslash before a URL does not escape the `<` that wraps it.
        assert_eq!(rustdoc_markdown("a\\https://x.y"), "a\\\\<https://x.y>");
        // Dropping markup does not make a code block of what follows it.
        assert_eq!(
            rustdoc_markdown("<div>\n<p>\n    std::process::exit(1);\n</div>"),
            "```text\nstd::process::exit(1);\n```\n"
        );
        assert_eq!(rustdoc_markdown("<br>\tlet x = 1;"), "let x = 1;");
    }

    #[test]
    fn code_blocks_in_lists_and_quotes_stay_in_them() {
        assert_eq!(rustdoc_markdown("- ```json\n  {}\n  ```\n"), "- ```text\n  {}\n  ```\n");
        assert_eq!(rustdoc_markdown("> ```\n> a\n> ```"), "> ```text\n> a\n> ```");
        assert_eq!(rustdoc_markdown(">     code"), "> ```text\n> code\n> ```");
    }

    /// What a reading of spec text could get wrong, as rustdoc would read the result.
    fn problems(doc: &str) -> Vec<String> {
        use pulldown_cmark::{BrokenLink, CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd};
        let mut problems = Vec::new();
        let mut broken = Vec::new();
        let mut callback = |link: BrokenLink| {
            broken.push(format!("[{}] read as an intra-doc link", link.reference));
            None
        };
        let parser = Parser::new_with_broken_link_callback(doc, super::options(), Some(&mut callback));
        let (mut links, mut in_code) = (0, false);
        for (event, _) in parser.into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "text" => in_code = true,
                Event::Start(Tag::CodeBlock(kind)) => problems.push(format!("a code block {kind:?}")),
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Html(html) | Event::InlineHtml(html) => problems.push(format!("HTML {html:?}")),
                Event::Start(Tag::Link { link_type, dest_url, .. } | Tag::Image { link_type, dest_url, .. }) => {
                    links += 1;
                    if link_type != LinkType::Email && !super::is_safe_link(&dest_url) {
                        problems.push(format!("a link to {dest_url:?}"));
                    }
                }
                Event::End(TagEnd::Link | TagEnd::Image) => links -= 1,
                Event::Text(text) if !in_code && links == 0 && text.contains("http") && text.contains("://") => {
                    problems.push(format!("a bare URL in {text:?}"))
                }
                _ => {}
            }
        }
        problems.extend(broken);
        problems
    }

    /// Text made of the pieces a hostile or careless spec has: what comes out, in full text
    /// or on one line, has no HTML, no code block but `text` ones, no unsafe link, no
    /// bracket rustdoc would take for a link and no bare URL; and one reading settles it.
    #[test]
    fn no_mix_of_markup_gets_through() {
        let pieces = [
            "<a href=\"https://x.y/\">",
            "</a>",
            "<b>",
            "</b>",
            "<code>",
            "</code>",
            "<br>",
            "<p>",
            "</p>",
            "</div>",
            "<div style=\"x\">",
            "<img alt=\"Premium tag\" src=\"https://x/y.svg\">",
            "<script>",
            "</script>",
            "\n",
            "\n\n",
            "    ",
            "- ",
            "> ",
            "```",
            "~~~",
            "`",
            "[",
            "]",
            "(",
            ")",
            "https://x.y/a",
            "javascript:alert(1)",
            "&lt;",
            "&#60;",
            "\\",
            "*",
            "_",
            "text",
            " ",
            "<!--",
            "-->",
            "|",
            "# ",
            "1. ",
            "<",
            ">",
            "\"",
            "'",
            "é",
            "\t",
            "![",
            "](",
            "<a href='javascript:x'>",
            "<https://a.b>",
            "<javascript:x>",
            "\u{202e}",
            "\r",
            "<em>",
            "</em>",
            "<br/>",
            "<x-y>",
            "| a | b |\n|---|---|\n",
            "[x]: javascript:y\n",
            "[x]",
            "&amp;",
            "<a href=x>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\">",
            "<a href=\"java\nscript:x\">",
            "<?php ?>",
            "<![CDATA[x]]>",
            "<!DOCTYPE html>",
            "<pre>",
            "</pre>",
            "<textarea>",
            "\u{0}",
            "&#x0;",
            "&#27;",
        ];
        // xorshift: the same texts on every run.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect();
            let (doc, line) = (rustdoc_markdown(&text), one_line(&text));
            let found: Vec<String> = problems(&doc).into_iter().chain(problems(&line)).collect();
            assert!(found.is_empty(), "{text:?}\n{doc:?}\n{line:?}\n{found:?}");
            // Settled by the readings, not by showing it all as literal text.
            let mut reading = super::rewrite(&super::visible(&text));
            for _ in 0..3 {
                reading = super::rewrite(&reading);
            }
            assert_eq!(super::rewrite(&reading), reading, "{text:?}");
        }
    }
}
