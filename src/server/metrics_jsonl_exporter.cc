#include "server/metrics_jsonl_exporter.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/timestamp.h"

namespace switchyard::server {

MetricsJsonlExporter::MetricsJsonlExporter(MetricsJsonlOptions options,
                                           std::function<nlohmann::json()> snapshot)
    : options_(std::move(options)), snapshot_(std::move(snapshot)) {}

Status MetricsJsonlExporter::Reopen(std::ios::openmode mode) {
  if (file_.is_open()) file_.close();
  file_.clear();
  file_.open(options_.path, mode);
  if (!file_) {
    return Status::Unavailable("cannot open " + options_.path + " for writing: " + std::strerror(errno));
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(options_.path, ec);
  bytes_ = ec ? 0 : size;
  return Status::Ok();
}

Status MetricsJsonlExporter::Open() {
  return Reopen(std::ios::out | std::ios::app | std::ios::binary);
}

Status MetricsJsonlExporter::Append() {
  nlohmann::json line = {{"timestamp", store::NowTimestamp()}};
  nlohmann::json snapshot = snapshot_();
  for (auto& [key, value] : snapshot.items()) line[key] = std::move(value);
  std::string text = line.dump();
  text += '\n';
  if (!file_.is_open()) {
    if (Status s = Open(); !s.ok()) return s;
  }
  if (bytes_ > 0 && bytes_ + text.size() > options_.max_bytes) {
    file_.close();
    std::error_code ec;
    std::filesystem::rename(options_.path, options_.path + ".1", ec);
    if (ec) return Status::Unavailable("cannot rotate " + options_.path + ": " + ec.message());
    if (Status s = Reopen(std::ios::out | std::ios::trunc | std::ios::binary); !s.ok()) return s;
  }
  file_.write(text.data(), static_cast<std::streamsize>(text.size()));
  file_.flush();
  if (!file_) {
    // Start again from a fresh stream at the next interval (e.g. once the disk has space).
    file_.close();
    return Status::Unavailable("cannot write to " + options_.path);
  }
  bytes_ += text.size();
  return Status::Ok();
}

}  // namespace switchyard::server
