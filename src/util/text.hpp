#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace neurochem::text {

std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);  // trims each piece
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidates closest to `word` (edit distance <= max(2, |word|/3)), best first.
std::vector<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);
/// Shortest decimal text that reads back to exactly the same double ("0.1", "1e-05", "inf").
std::string format_double(double v);
std::string join(const std::vector<std::string>& items, std::string_view sep);
/// A value from a file made safe to show in a message: control characters, bytes that are
/// not valid UTF-8 and a byte order mark become \xNN (tab \t), and text longer than
/// `max_chars` is cut, ending "... (N bytes)".
std::string escape_for_message(std::string_view s, std::size_t max_chars = 80);
/// Position of the first byte that is not text (a control character other than tab and
/// carriage return, or bytes that are not valid UTF-8), or npos.
std::size_t find_non_text(std::string_view s);

}  // namespace neurochem::text
