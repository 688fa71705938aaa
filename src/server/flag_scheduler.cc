#include "server/flag_scheduler.h"

#include <spdlog/spdlog.h>

#include "server/flag_schedule_change.h"

namespace switchyard::server {

int FlagScheduler::FireDue(const std::string& now, const std::string& abandoned_before) {
  auto due = store_.ListDueFlagSchedules(now, abandoned_before);
  if (!due.ok()) {
    spdlog::warn("scheduled changes: cannot list the due ones: {}", due.status().ToString());
    return 0;
  }
  int fired = 0;
  for (const store::FlagSchedule& schedule : *due) {
    auto claimed = store_.ClaimFlagSchedule(schedule.id, now, abandoned_before);
    if (!claimed.ok()) {
      spdlog::warn("scheduled change {}: cannot claim it: {}", schedule.id, claimed.status().ToString());
      continue;
    }
    if (!*claimed) continue;  // another server fired it, or it was cancelled meanwhile
    std::string result;
    Status status = Fire(schedule, &result);
    if (!status.ok()) result = status.ToString();
    const char* outcome = status.ok() ? store::kScheduleDone : store::kScheduleFailed;
    if (Status s = store_.FinishFlagSchedule(schedule.id, outcome, result); !s.ok()) {
      spdlog::error("scheduled change {} ({}): cannot record the outcome '{}': {}", schedule.id, outcome,
                    result, s.ToString());
    }
    spdlog::info("scheduled change {} of flag '{}' in project {}: {} ({})", schedule.id, schedule.flag_key,
                 schedule.project_id, outcome, result);
    ++fired;
  }
  return fired;
}

Status FlagScheduler::Fire(const store::FlagSchedule& schedule, std::string* result) {
  if (Status s = ValidateScheduleChange(schedule.change); !s.ok()) return s;
  store::Actor actor("schedule:" + std::to_string(schedule.id) + " (by " + schedule.created_by + ")",
                     schedule.environment);
  auto change = [&](store::FlagRecord& record,
                    const std::vector<store::Environment>& environments) -> Status {
    std::vector<std::string> targets;
    for (const store::Environment& environment : environments) {
      if (schedule.environment.empty() || environment.key == schedule.environment)
        targets.push_back(environment.key);
    }
    if (targets.empty()) {
      return Status::NotFound("the project has no environment '" + schedule.environment + "'", "environment");
    }
    ApplyScheduleChange(schedule.change, targets, record);
    return Status::Ok();
  };
  auto written = flags_.Update(schedule.project_id, schedule.flag_key, std::nullopt, change, actor);
  if (!written.ok()) return written.status();
  *result = DescribeScheduleChange(schedule.change) +
            (written->changed ? ": applied, now version " + std::to_string(written->record.flag.version)
                              : ": no change needed (the flag was already so)");
  return Status::Ok();
}

}  // namespace switchyard::server
