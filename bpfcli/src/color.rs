//! Whether to colour diagnostics: `--color=auto|always|never`, `NO_COLOR`, `CLICOLOR_FORCE`.
//!
//! The rule, the same for every tool:
//! 1. `--color=always` / `--color=never` decide;
//! 2. with `auto` (the default): `NO_COLOR` set to anything non-empty means no colour,
//!    `CLICOLOR_FORCE` set and not `0` means colour, otherwise colour only when the stream the
//!    diagnostics go to is a terminal (and `TERM` is not `dumb`).
//!
//! Machine formats (`--message-format=json|short`, SARIF, the language server) never colour;
//! the tools pass `false` for them without asking.

use std::io::IsTerminal;

/// The `--color` argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum When {
    #[default]
    Auto,
    Always,
    Never,
}

impl When {
    pub fn parse(s: &str) -> Option<When> {
        match s {
            "auto" => Some(When::Auto),
            "always" => Some(When::Always),
            "never" => Some(When::Never),
            _ => None,
        }
    }
}

/// Which stream the coloured text goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// The decision, from the argument, the environment and whether the stream is a terminal.
pub fn decide(when: When, env: impl Fn(&str) -> Option<String>, is_terminal: bool) -> bool {
    match when {
        When::Always => true,
        When::Never => false,
        When::Auto => {
            if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else if env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                true
            } else {
                is_terminal && env("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// [`decide`] for this process: its environment and its `stream`.
pub fn enabled(when: When, stream: Stream) -> bool {
    let tty = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    decide(when, |k| std::env::var(k).ok(), tty)
}

/// ANSI styles for the few words the tools colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Bold red: `error`, `REJECT`.
    Error,
    /// Bold yellow: `warning`.
    Warning,
    /// Bold green: `ACCEPT`.
    Ok,
    /// Bold: names and headings.
    Bold,
}

/// `text` in `style` when `on`, else `text` unchanged.
pub fn paint(text: &str, style: Style, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let code = match style {
        Style::Error => "1;31",
        Style::Warning => "1;33",
        Style::Ok => "1;32",
        Style::Bold => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_rule() {
        assert!(!decide(When::Auto, env(&[]), false), "not a terminal: no colour");
        assert!(decide(When::Auto, env(&[]), true));
        assert!(!decide(When::Auto, env(&[("TERM", "dumb")]), true));
        assert!(!decide(When::Auto, env(&[("NO_COLOR", "1")]), true));
        assert!(decide(When::Auto, env(&[("NO_COLOR", "")]), true), "empty NO_COLOR is unset");
        assert!(decide(When::Auto, env(&[("CLICOLOR_FORCE", "1")]), false));
        assert!(!decide(When::Auto, env(&[("CLICOLOR_FORCE", "0")]), false));
        assert!(!decide(When::Auto, env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]), true));
        assert!(decide(When::Always, env(&[("NO_COLOR", "1")]), false));
        assert!(!decide(When::Never, env(&[("CLICOLOR_FORCE", "1")]), true));
        assert_eq!(paint("error", Style::Error, false), "error");
        assert_eq!(paint("error", Style::Error, true), "\x1b[1;31merror\x1b[0m");
    }
}
