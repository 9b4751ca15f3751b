//! How an error reads on the terminal: the error and its causes on one line, each said once.
//! Only words; deciding the exit code stays with [`super::main`].

/// `error` and its causes joined by `: `, as `{:#}` joins them, except that a cause whose words
/// the line already holds is not repeated (a message such as `"{path}: {source}"` that also
/// returns that source as its cause would otherwise say it twice).
pub(super) fn error_words(error: &(dyn std::error::Error + 'static)) -> String {
    let mut words = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        let said = next.to_string();
        if !words.contains(&said) {
            words.push_str(": ");
            words.push_str(&said);
        }
        cause = next.source();
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("the calibration file is damaged; calibrate again")]
    struct Damaged;

    /// Names its cause in its own words and also returns it as its source.
    #[derive(Debug, thiserror::Error)]
    #[error("{path}: {source}")]
    struct Repeats {
        path: String,
        source: Damaged,
    }

    /// Returns its cause without naming it.
    #[derive(Debug, thiserror::Error)]
    #[error("cannot use {path}")]
    struct Wraps {
        path: String,
        source: Damaged,
    }

    #[test]
    fn a_cause_already_in_the_message_is_said_once() {
        let error = Repeats { path: "/tmp/bad.json".into(), source: Damaged };
        assert_eq!(error_words(&error), "/tmp/bad.json: the calibration file is damaged; calibrate again");
        let through_anyhow = anyhow::Error::from(Repeats { path: "/tmp/bad.json".into(), source: Damaged });
        assert_eq!(error_words(through_anyhow.as_ref()), error_words(&error));
        // What `{:#}` (the message before) says: the cause twice.
        assert_eq!(format!("{through_anyhow:#}").matches("damaged").count(), 2);
    }

    #[test]
    fn a_cause_not_in_the_message_is_added() {
        let error = Wraps { path: "/tmp/bad.json".into(), source: Damaged };
        assert_eq!(error_words(&error), "cannot use /tmp/bad.json: the calibration file is damaged; calibrate again");
        let with_context = anyhow::Error::from(Damaged).context("reading the setups");
        assert_eq!(
            error_words(with_context.as_ref()),
            "reading the setups: the calibration file is damaged; calibrate again"
        );
    }
}
