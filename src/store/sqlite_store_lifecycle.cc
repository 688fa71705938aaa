// SqliteStore: flag lifecycle bookkeeping: evaluation stats and scheduled changes (archiving is
// part of the flag record, in sqlite_store_definitions.cc).
#include <string>

#include "store/entity_json.h"
#include "store/sqlite_store.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {
namespace {

using nlohmann::json;
using sqlite::Connection;
using sqlite::Statement;

// Timestamps are fixed-width RFC 3339, so max() on the text is the later time. An environment that
// does not exist (any more) is skipped rather than failing the whole batch on the foreign key.
constexpr char kRecordEvaluation[] =
    "INSERT INTO flag_evaluations (environment_id, flag_key, last_evaluated_at, count)"
    " SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM environments WHERE id = ?1)"
    " ON CONFLICT (environment_id, flag_key) DO UPDATE SET count = count + excluded.count,"
    " last_evaluated_at = max(last_evaluated_at, excluded.last_evaluated_at)";
constexpr char kListEvaluations[] =
    "SELECT environment_id, flag_key, last_evaluated_at, count FROM flag_evaluations"
    " WHERE environment_id = ?1 ORDER BY flag_key";

constexpr char kScheduleColumns[] =
    "SELECT id, project_id, flag_key, environment, at, change, status, created_at, created_by, fired_at,"
    " result FROM flag_schedules ";
constexpr char kFlagExists[] = "SELECT 1 FROM flags WHERE project_id = ?1 AND key = ?2";
constexpr char kInsertSchedule[] =
    "INSERT INTO flag_schedules (project_id, flag_key, environment, at, change, status, created_at,"
    " created_by) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7)";

std::string ScheduleQuery(const char* where) {
  return std::string(kScheduleColumns) + where;
}

Result<FlagSchedule> ReadSchedule(const Statement& row) {
  FlagSchedule schedule;
  schedule.id = row.Int64(0);
  schedule.project_id = row.Int64(1);
  schedule.flag_key = row.Text(2);
  if (!row.IsNull(3)) schedule.environment = row.Text(3);
  schedule.at = row.Text(4);
  Result<json> change = ParseStoredJson(row.TextView(5), "scheduled change " + std::to_string(schedule.id));
  if (!change.ok()) return change.status();
  schedule.change = std::move(*change);
  schedule.status = row.Text(6);
  schedule.created_at = row.Text(7);
  schedule.created_by = row.Text(8);
  if (!row.IsNull(9)) schedule.fired_at = row.Text(9);
  if (!row.IsNull(10)) schedule.result = row.Text(10);
  return schedule;
}

Result<FlagSchedule> LoadSchedule(Connection& connection, std::int64_t id) {
  Result<Statement> query = connection.Prepare(ScheduleQuery("WHERE id = ?1"));
  if (!query.ok()) return query.status();
  return sqlite::SingleRow<FlagSchedule>(query->Bind(id), ReadSchedule, [&] { return ScheduleNotFound(id); });
}

}  // namespace

Status SqliteStore::RecordFlagEvaluations(const std::vector<FlagEvaluationStats>& deltas) {
  if (deltas.empty()) return Status::Ok();
  return Write([&](Connection& writer) -> Status {
    for (const FlagEvaluationStats& delta : deltas) {
      Result<Statement> upsert = writer.Prepare(kRecordEvaluation);
      if (!upsert.ok()) return upsert.status();
      Status s =
          upsert->Bind(delta.environment_id, delta.flag_key, delta.last_evaluated_at, delta.count).Run();
      if (!s.ok()) return s;
    }
    return Status::Ok();
  });
}

Result<std::vector<FlagEvaluationStats>> SqliteStore::ListFlagEvaluations(std::int64_t environment_id) {
  return Read([&](Connection& reader) -> Result<std::vector<FlagEvaluationStats>> {
    Result<Statement> query = reader.Prepare(kListEvaluations);
    if (!query.ok()) return query.status();
    return sqlite::CollectRows<FlagEvaluationStats>(query->Bind(environment_id), [](const Statement& row) {
      return FlagEvaluationStats{row.Int64(0), row.Text(1), row.Text(2), row.Int64(3)};
    });
  });
}

Result<FlagSchedule> SqliteStore::CreateFlagSchedule(std::int64_t project_id, const FlagSchedule& input,
                                                     const Actor& actor) {
  return Write([&](Connection& writer) -> Result<FlagSchedule> {
    Result<Statement> exists = writer.Prepare(kFlagExists);
    if (!exists.ok()) return exists.status();
    Result<bool> found = exists->Bind(project_id, input.flag_key).Step();
    if (!found.ok()) return found.status();
    if (!*found) return FlagNotFound(input.flag_key);
    FlagSchedule schedule = input;
    schedule.project_id = project_id;
    schedule.status = kSchedulePending;
    schedule.created_at = NowTimestamp();
    schedule.created_by = actor.name;
    schedule.fired_at.clear();
    schedule.result.clear();
    Result<Statement> insert = writer.Prepare(kInsertSchedule);
    if (!insert.ok()) return insert.status();
    const std::optional<std::string> environment =
        schedule.environment.empty() ? std::nullopt : std::optional<std::string>(schedule.environment);
    Status s = insert
                   ->Bind(project_id, schedule.flag_key, environment, schedule.at, DumpJson(schedule.change),
                          schedule.created_at, schedule.created_by)
                   .Run();
    if (!s.ok()) return s;
    schedule.id = writer.LastInsertId();
    s = AppendAudit(
        writer, actor,
        {project_id, "flag.schedule", "flag", schedule.flag_key, nullptr, FlagScheduleAuditJson(schedule)});
    if (!s.ok()) return s;
    return schedule;
  });
}

Result<std::vector<FlagSchedule>> SqliteStore::ListFlagSchedules(std::int64_t project_id,
                                                                 const std::string& flag_key) {
  return Read([&](Connection& reader) -> Result<std::vector<FlagSchedule>> {
    Result<Statement> query =
        reader.Prepare(ScheduleQuery("WHERE project_id = ?1 AND flag_key = ?2 ORDER BY id"));
    if (!query.ok()) return query.status();
    return sqlite::CollectRows<FlagSchedule>(query->Bind(project_id, flag_key), ReadSchedule);
  });
}

Result<FlagSchedule> SqliteStore::CancelFlagSchedule(std::int64_t project_id, const std::string& flag_key,
                                                     std::int64_t id, const Actor& actor) {
  return Write([&](Connection& writer) -> Result<FlagSchedule> {
    Result<FlagSchedule> schedule = LoadSchedule(writer, id);
    if (!schedule.ok()) return schedule.status();
    if (schedule->project_id != project_id || schedule->flag_key != flag_key) return ScheduleNotFound(id);
    if (schedule->status != kSchedulePending) return ScheduleNotPending(*schedule);
    json before = FlagScheduleAuditJson(*schedule);
    Result<Statement> update = writer.Prepare("UPDATE flag_schedules SET status = 'cancelled' WHERE id = ?1");
    if (!update.ok()) return update.status();
    if (Status s = update->Bind(id).Run(); !s.ok()) return s;
    schedule->status = kScheduleCancelled;
    Status s = AppendAudit(writer, actor,
                           {project_id, "flag.unschedule", "flag", flag_key, std::move(before),
                            FlagScheduleAuditJson(*schedule)});
    if (!s.ok()) return s;
    return schedule;
  });
}

namespace {

// ?2: claims older than this are abandoned (NULL: none is).
constexpr char kClaimable[] =
    "(status = 'pending' OR (status = 'firing' AND ?2 IS NOT NULL AND fired_at < ?2))";

std::optional<std::string> NullIfEmpty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

Result<std::vector<FlagSchedule>> SqliteStore::ListDueFlagSchedules(const std::string& now,
                                                                    const std::string& abandoned_before) {
  return Read([&](Connection& reader) -> Result<std::vector<FlagSchedule>> {
    Result<Statement> query = reader.Prepare(
        ScheduleQuery((std::string("WHERE ") + kClaimable + " AND at <= ?1 ORDER BY at, id").c_str()));
    if (!query.ok()) return query.status();
    return sqlite::CollectRows<FlagSchedule>(query->Bind(now, NullIfEmpty(abandoned_before)), ReadSchedule);
  });
}

Result<bool> SqliteStore::ClaimFlagSchedule(std::int64_t id, const std::string& now,
                                            const std::string& abandoned_before) {
  // The conditional UPDATE is the claim: of two servers sharing this file, only one changes the row.
  return Write([&](Connection& writer) -> Result<bool> {
    Result<Statement> claim = writer.Prepare(
        std::string("UPDATE flag_schedules SET status = 'firing', fired_at = ?3 WHERE id = ?1 AND ") +
        kClaimable);
    if (!claim.ok()) return claim.status();
    if (Status s = claim->Bind(id, NullIfEmpty(abandoned_before), now).Run(); !s.ok()) return s;
    return writer.Changes() == 1;
  });
}

Status SqliteStore::FinishFlagSchedule(std::int64_t id, const std::string& status,
                                       const std::string& result) {
  return Write([&](Connection& writer) -> Status {
    Result<Statement> finish =
        writer.Prepare("UPDATE flag_schedules SET status = ?2, result = ?3, fired_at = ?4 WHERE id = ?1");
    if (!finish.ok()) return finish.status();
    if (Status s = finish->Bind(id, status, result, NowTimestamp()).Run(); !s.ok()) return s;
    if (writer.Changes() != 1) return ScheduleNotFound(id);
    return Status::Ok();
  });
}

}  // namespace switchyard::store
