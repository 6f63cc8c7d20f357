//! Line diff for replay: aligns expected server lines (with `${vars}` and regexes) and the
//! lines received by a longest common subsequence, and captures variables along the
//! alignment.

use super::replay::Expected;
use std::collections::HashMap;

/// `(' ', got)` for a match, `('-', expected)` for a missing line, `('+', got)` for an
/// unexpected one, in order.
pub(super) fn lines(
    expected: &[Expected],
    got: &[String],
    vars: &mut HashMap<String, String>,
) -> Vec<(char, String)> {
    let (n, m) = (expected.len(), got.len());
    // lcs[i][j]: length of the LCS of expected[i..] and got[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    let mut probe = vars.clone();
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i].matches(&got[j], &mut probe, false) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n
            && j < m
            && lcs[i][j] == lcs[i + 1][j + 1] + 1
            && expected[i].matches(&got[j], vars, true)
        {
            out.push((' ', got[j].clone()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(('-', known(expected[i].text(), vars)));
            i += 1;
        } else {
            out.push(('+', got[j].clone()));
            j += 1;
        }
    }
    out
}

/// An expected line with the variables captured so far filled in, for display.
fn known(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = text.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    out
}
