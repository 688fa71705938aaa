// Status and Result<T>: the error convention of the embeddable core and the store.
//
// Expected failures are values from a small closed set of codes; the server maps each code to an
// HTTP status in exactly one place (src/server/http_error.cc). `field` names the offending input
// (a JSON path such as "filters.groups[0].rollout_percentage") when there is one.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace switchyard {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // malformed or semantically invalid input (400/422)
  kNotFound,          // 404
  kAlreadyExists,     // 409
  kConflict,          // stale version (409)
  kUnauthenticated,   // 401
  kPermissionDenied,  // 403
  kUnavailable,       // overloaded or shutting down (503)
  kCorruption,        // stored data that cannot be read back
  kInternal,          // a bug or an unexpected failure below us
  kDeadlineExceeded,  // a time limit passed before the work finished (504)
  kCancelled,         // the caller went away before the work finished (499, as nginx logs it)
};

std::string_view StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string msg, std::string field = {}) {
    return {StatusCode::kInvalidArgument, std::move(msg), std::move(field)};
  }
  static Status NotFound(std::string msg, std::string field = {}) {
    return {StatusCode::kNotFound, std::move(msg), std::move(field)};
  }
  static Status AlreadyExists(std::string msg, std::string field = {}) {
    return {StatusCode::kAlreadyExists, std::move(msg), std::move(field)};
  }
  static Status Conflict(std::string msg, std::string field = {}) {
    return {StatusCode::kConflict, std::move(msg), std::move(field)};
  }
  static Status Unauthenticated(std::string msg) { return {StatusCode::kUnauthenticated, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status DeadlineExceeded(std::string msg) { return {StatusCode::kDeadlineExceeded, std::move(msg)}; }
  static Status Cancelled(std::string msg) { return {StatusCode::kCancelled, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

// A value or the Status that explains its absence. std::expected is C++23 and GCC 12 (Debian 12)
// does not ship it; this is the minimal subset we use, to be replaced by std::expected later.
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : data_(std::in_place_index<1>, std::move(status)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<0>(data_); }
  T& value() & { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // The failure; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<1>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace switchyard
