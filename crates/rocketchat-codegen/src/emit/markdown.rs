//! Spec text to rustdoc Markdown: what a description written for a web page needs to be
//! safe and read the same in rustdoc.

/// Spec descriptions are CommonMark written for a web page, and nothing in them may run as
/// code: every code block (fenced with backticks or tildes, whatever its label, or indented)
/// becomes a `text` block, since rustdoc compiles and runs unlabelled, `rust` and
/// `should_panic` blocks as doctests. Control and bidirectional-override characters are
/// escaped (rustc rejects a bare CR in a doc comment and denies bidi overrides). In prose,
/// rustdoc reads `[x]` as an intra-doc link and warns about bare URLs, so brackets that are
/// not links are escaped, bare URLs are wrapped in `<>`, and links other than http(s) and
/// relative ones (`javascript:`) keep their text only. Code spans are left as they are.
pub fn rustdoc_markdown(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut prose_start = 0;
    for (range, code, fenced) in code_blocks(&text) {
        // The block's line starts with its container's indentation (a list item's), and for
        // an indented block four more spaces; the fence goes at the container's.
        let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1).max(prose_start);
        let prefix = &text[line_start..range.start];
        let indent = if !prefix.trim().is_empty() {
            ""
        } else if fenced {
            prefix
        } else {
            prefix.get(..prefix.len().saturating_sub(4)).unwrap_or_default()
        };
        out.push_str(&prose_markdown(&text[prose_start..line_start]));
        if !prefix.trim().is_empty() {
            out.push_str(prefix);
        }
        let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest_run.max(2) + 1);
        out.push_str(indent);
        out.push_str(&fence);
        out.push_str("text\n");
        for line in code.lines() {
            out.push_str(indent);
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(indent);
        out.push_str(&fence);
        if text[..range.end].ends_with('\n') {
            out.push('\n');
        }
        prose_start = range.end;
    }
    out.push_str(&prose_markdown(&text[prose_start..]));
    out
}

/// The code blocks of CommonMark text: where each is, its content, and whether it is fenced
/// (else indented).
fn code_blocks(text: &str) -> Vec<(std::ops::Range<usize>, String, bool)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    let mut open: Option<(std::ops::Range<usize>, String, bool)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match (event, &mut open) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                open = Some((range, String::new(), matches!(kind, CodeBlockKind::Fenced(_))));
            }
            (Event::Text(code), Some((_, content, _))) => content.push_str(&code),
            (Event::End(TagEnd::CodeBlock), Some(_)) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// Text with CR line ends made LF, and other control characters and the bidirectional
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) written as escapes.
pub(crate) fn visible(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    crate::format::escape_chars(&text, crate::format::needs_escape)
}

/// The inline fixes for prose (no code blocks in it).
fn prose_markdown(text: &str) -> String {
    let text = &normalize_blocks(text);
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let chars: Vec<char> = text.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
        } else if in_code {
            out.push(c);
        } else if c == '[' && is_markdown_link(&chars[index..]) && !is_safe_link(&chars[index..]) {
            // `[text](javascript:...)`: the text stays, the link goes.
            let close = chars[index..].iter().position(|c| *c == ']').map_or(index, |n| index + n);
            let end = link_end(&chars, close + 1);
            let label: String = chars[index + 1..close].iter().collect();
            out.push_str(&label.replace('[', "\\[").replace(']', "\\]"));
            index = end + 1;
            continue;
        } else if c == '[' && !is_markdown_link(&chars[index..]) {
            out.push_str("\\[");
        } else if c == ']' && chars.get(index + 1) != Some(&'(') {
            out.push_str("\\]");
        } else if c == '<' && !is_url_at(&chars, index + 1) {
            // `<name>` would be read as an HTML tag; `<https://...>` is an autolink.
            out.push_str("&lt;");
        } else if starts_bare_url(&chars, index) {
            let end = chars[index..]
                .iter()
                .position(|c| c.is_whitespace() || *c == ')' || *c == '>')
                .map_or(chars.len(), |n| index + n);
            let mut url: String = chars[index..end].iter().collect();
            // A full stop or comma after a URL ends the sentence, not the URL.
            let trailing = url.len() - url.trim_end_matches(['.', ',', ';', ':']).len();
            let rest = url.split_off(url.len() - trailing);
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&rest);
            index = end;
            continue;
        } else {
            out.push(c);
        }
        index += 1;
    }
    out
}

/// The index of the `)` that closes the link target opened at `open` (CommonMark allows
/// balanced parentheses inside it), or the last index.
fn link_end(chars: &[char], open: usize) -> usize {
    let mut depth = 0;
    for (index, c) in chars.iter().enumerate().skip(open) {
        match c {
            '(' => depth += 1,
            ')' if depth <= 1 => return index,
            ')' => depth -= 1,
            _ => {}
        }
    }
    chars.len().saturating_sub(1)
}

/// Whether the target of the link `[text](target)` at the start of `chars` is http(s) or
/// relative (no scheme at all).
fn is_safe_link(chars: &[char]) -> bool {
    let Some(close) = chars.iter().position(|c| *c == ']') else { return true };
    let target: String = chars[close + 2..].iter().take_while(|c| **c != ')').collect();
    let target = target.trim().to_ascii_lowercase();
    // A scheme is letters (then letters, digits, `+`, `-`, `.`) before a single `:`; an
    // intra-doc path (`crate::Client::x`) has none.
    let scheme = target.split_once(':').filter(|(scheme, rest)| {
        !rest.starts_with(':')
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    matches!(scheme.map(|(scheme, _)| scheme), None | Some("http" | "https"))
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

/// Spec text for a place that takes one line, such as a summary after a list marker.
pub(crate) fn one_line(text: &str) -> String {
    rustdoc_markdown(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_markdown_link(chars: &[char]) -> bool {
    let Some(close) = chars.iter().position(|c| *c == ']') else { return false };
    chars.get(close + 1) == Some(&'(')
}

fn starts_bare_url(chars: &[char], index: usize) -> bool {
    let previous = |back: usize| index.checked_sub(back).map(|at| chars[at]);
    let preceded_by_link = previous(1) == Some('<') || (previous(1) == Some('(') && previous(2) == Some(']'));
    !preceded_by_link && is_url_at(chars, index)
}

fn is_url_at(chars: &[char], index: usize) -> bool {
    let rest: String = chars.iter().skip(index).take(8).collect();
    rest.starts_with("https://") || rest.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::rustdoc_markdown;

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
}
