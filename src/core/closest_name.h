// "Did you mean ...?": the known name a mistyped one was most likely meant to be.
//
// Pure and allocation-light so that the server can run it on client input: a candidate whose
// length alone rules it out is skipped before any distance is computed.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::core {

// Edit distance (insert, delete, substitute, or swap two adjacent characters: each costs 1),
// compared ASCII case-insensitively.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The most edits a name of `length` characters may be from a suggestion: 1 up to 5 characters,
// then one more per 3 characters, at most 3. Further than that, a suggestion is more likely
// misleading than helpful.
std::size_t PlausibleEdits(std::size_t length);

// The known name closest to `name` within PlausibleEdits(name.size()); the first of the closest
// in `known`'s order on a tie; nullopt when none is that close or `name` is itself known.
std::optional<std::string> ClosestName(std::string_view name, std::span<const std::string_view> known);
std::optional<std::string> ClosestName(std::string_view name, const std::vector<std::string>& known);

}  // namespace switchyard::core
