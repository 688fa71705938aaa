#include "store/sqlite_wal_checkpointer.h"

#include <sqlite3.h>

#include "common/thread_name.h"

namespace switchyard::store::sqlite {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(const std::string& path, Connection& writer,
                                                                int pages) {
  auto own = Connection::Open(path, /*create=*/false);
  if (!own.ok()) return own.status();
  if (Status s = (*own)->Exec("PRAGMA busy_timeout = 5000"); !s.ok()) return s;
  // Also makes the connection read the database: until it has, it does not know the file is in
  // WAL mode, and its checkpoints silently do nothing.
  auto mode = (*own)->QueryText("PRAGMA journal_mode");
  if (!mode.ok()) return mode.status();
  if (*mode != "wal") return Status::Internal("'" + path + "' is not in WAL mode");
  std::unique_ptr<WalCheckpointer> checkpointer(new WalCheckpointer(std::move(*own), writer, pages));
  sqlite3_wal_hook(writer.handle(), &WalCheckpointer::OnCommit, checkpointer.get());
  return checkpointer;
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<Connection> own, Connection& writer, int pages)
    : own_(std::move(own)), writer_(writer), pages_(pages), thread_([this] { Loop(); }) {}

WalCheckpointer::~WalCheckpointer() {
  // The writer checkpoints for itself again from its next commit (this also removes the hook).
  sqlite3_wal_autocheckpoint(writer_.handle(), kDefaultPages);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::uint64_t WalCheckpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return checkpoints_;
}

int WalCheckpointer::OnCommit(void* self, sqlite3* /*db*/, const char* /*schema*/, int wal_pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (wal_pages < checkpointer->pages_) return SQLITE_OK;
  {
    std::lock_guard lock(checkpointer->mu_);
    checkpointer->wanted_ = true;
  }
  checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::Loop() {
  NameThisThread("sy-checkpoint");
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return wanted_ || stopping_; });
    if (stopping_) return;
    wanted_ = false;
    lock.unlock();
    // PASSIVE: copies what no reader still needs and never waits; a busy database is simply
    // tried again at the next wake-up.
    sqlite3_wal_checkpoint_v2(own_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    ++checkpoints_;
  }
}

}  // namespace switchyard::store::sqlite
