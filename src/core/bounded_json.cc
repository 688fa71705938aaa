#include "core/bounded_json.h"

#include <string>
#include <vector>

#include "core/abbreviate.h"

namespace switchyard::core {

using Json = nlohmann::json;

namespace {

constexpr std::size_t kQuotedKeyBytes = 100;

// Builds the DOM like nlohmann's json_sax_dom_parser, plus the three refusals. Returning false
// from any event makes sax_parse stop at once.
class BoundedDomBuilder {
 public:
  explicit BoundedDomBuilder(std::size_t max_depth) : max_depth_(max_depth) {}

  bool null() { return Put(nullptr); }
  bool boolean(bool value) { return Put(value); }
  bool number_integer(Json::number_integer_t value) { return Put(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return Put(value); }
  bool number_float(Json::number_float_t value, const Json::string_t&) { return Put(value); }
  bool string(Json::string_t& value) { return Put(std::move(value)); }
  bool binary(Json::binary_t&) { return Fail("binary values are not JSON"); }

  bool start_object(std::size_t) { return Open(Json::object()); }
  bool start_array(std::size_t) { return Open(Json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(Json::string_t& name) {
    auto& members = stack_.back()->get_ref<Json::object_t&>();
    auto [it, inserted] = members.emplace(name, nullptr);
    if (!inserted) return Fail("duplicate key \"" + Abbreviate(name, kQuotedKeyBytes) + "\" in an object");
    member_ = &it->second;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception& e) {
    // 406 is nlohmann's "number overflow" (1e309): say so plainly rather than quote the id.
    if (e.id == 406) return Fail("a number does not fit a double");
    return Fail(std::string("malformed JSON: ") + e.what());
  }

  Json& root() { return root_; }
  const std::string& error() const { return error_; }

 private:
  // Where the next value goes: the root, the member named by the last key, or an array's end.
  Json* Slot() {
    if (stack_.empty()) return &root_;
    if (stack_.back()->is_array()) {
      auto& items = stack_.back()->get_ref<Json::array_t&>();
      items.emplace_back();
      return &items.back();
    }
    return member_;
  }

  template <typename T>
  bool Put(T&& value) {
    *Slot() = Json(std::forward<T>(value));
    return true;
  }

  bool Open(Json container) {
    if (stack_.size() >= max_depth_) {
      return Fail("JSON nests deeper than " + std::to_string(max_depth_) + " levels");
    }
    Json* slot = Slot();
    *slot = std::move(container);
    stack_.push_back(slot);
    return true;
  }

  bool Close() {
    stack_.pop_back();
    return true;
  }

  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  std::size_t max_depth_;
  Json root_;
  std::vector<Json*> stack_;  // open containers; pointers stay valid: only the innermost one grows
  Json* member_ = nullptr;
  std::string error_;
};

}  // namespace

Result<Json> ParseBoundedJson(std::string_view text, std::size_t max_depth) {
  BoundedDomBuilder builder(max_depth);
  bool ok = false;
  try {
    ok = Json::sax_parse(text, &builder, Json::input_format_t::json, /*strict=*/true);
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("malformed JSON: ") + e.what());
  }
  if (!ok) {
    return Status::InvalidArgument(builder.error().empty() ? "malformed JSON" : builder.error());
  }
  return std::move(builder.root());
}

}  // namespace switchyard::core
