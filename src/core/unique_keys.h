// Repeated keys in a document simdjson has parsed. simdjson's DOM keeps every member of an
// object, repeats included; core::ParseBoundedJson refuses a repeat, since a body that names one
// key twice says two things and whoever reads it decides which. A fast path over simdjson calls
// this to refuse what the bounded parser would.
#pragma once

#include <string_view>
#include <vector>

#include <simdjson.h>

namespace switchyard::core {

// Whether no object in `value` repeats a key. Recurses as deep as `value` nests, which the
// parser's depth bound limits. `scratch` is working memory, reused across calls.
bool KeysAreUnique(simdjson::dom::element value, std::vector<std::string_view>& scratch);

}  // namespace switchyard::core
