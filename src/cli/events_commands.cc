#include "cli/events_commands.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <ostream>
#include <thread>

#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

struct Filters {
  std::string event, distinct_id, uuid, after, before;
};

struct ListOptions {
  GlobalOptions global;
  Filters filters;
  int limit = 100;
  std::string cursor;
};

struct TailOptions {
  GlobalOptions global;
  Filters filters;
  int last = 10;
  double interval_seconds = 1;
  int count = 0;
};

void AddFilterOptions(CLI::App* cmd, Filters* filters) {
  cmd->add_option("--event", filters->event, "Only events with this name");
  cmd->add_option("--distinct-id", filters->distinct_id, "Only this person's events");
  cmd->add_option("--uuid", filters->uuid, "Only the event with this uuid");
  cmd->add_option("--after", filters->after, "Only events at or after this time (RFC 3339)");
  cmd->add_option("--before", filters->before, "Only events before this time (RFC 3339)");
}

// "/api/v1/projects/P/events?limit=N&event=..." with every given filter.
std::string EventsTarget(const GlobalOptions& global, const Filters& filters, int limit) {
  std::string target = ProjectPath(global) + "/events?limit=" + std::to_string(limit);
  const std::pair<const char*, const std::string*> params[] = {{"event", &filters.event},
                                                               {"distinct_id", &filters.distinct_id},
                                                               {"uuid", &filters.uuid},
                                                               {"after", &filters.after},
                                                               {"before", &filters.before}};
  for (const auto& [name, value] : params) {
    if (!value->empty()) target += std::string("&") + name + "=" + PercentEncode(*value);
  }
  return target;
}

Status CheckPage(const Json& page) {
  if (!page.is_object() || !page.contains("events") || !page["events"].is_array() ||
      !page.contains("head_cursor") || !page["head_cursor"].is_string()) {
    return Status::Internal("the server's answer has no \"events\" array and \"head_cursor\"");
  }
  return Status::Ok();
}

// One line per event, for following: time, name, person, properties.
void PrintLine(std::ostream& out, const Json& event, bool json) {
  if (json) {
    out << event.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
    return;
  }
  out << CellText(event.value("timestamp", Json())) << "  " << CellText(event.value("event", Json())) << "  "
      << CellText(event.value("distinct_id", Json())) << "  "
      << event.value("properties", Json::object()).dump(-1, ' ', false, Json::error_handler_t::replace)
      << "\n";
}

Status RunList(const ListOptions& o, CommandContext& ctx) {
  std::string target = EventsTarget(ctx.global, o.filters, o.limit);
  if (!o.cursor.empty()) target += "&cursor=" + PercentEncode(o.cursor);
  Result<Json> page = ctx.api.Get(target);
  if (!page.ok()) return page.status();
  if (Status s = CheckPage(*page); !s.ok()) return s;
  if (ctx.global.json) {
    PrintJson(ctx.out, *page);
    return Status::Ok();
  }
  Table table({"timestamp", "event", "distinct_id", "uuid", "properties"});
  for (const Json& event : (*page)["events"]) {
    table.AddRow(
        {CellText(event.value("timestamp", Json())), CellText(event.value("event", Json())),
         CellText(event.value("distinct_id", Json())), CellText(event.value("uuid", Json())),
         event.value("properties", Json::object()).dump(-1, ' ', false, Json::error_handler_t::replace)});
  }
  ctx.out << table.Render();
  if ((*page)["next_cursor"].is_string()) {
    ctx.out << "more: switchyard events list --cursor " << (*page)["next_cursor"].get<std::string>() << "\n";
  }
  return Status::Ok();
}

Status RunTail(const TailOptions& o, CommandContext& ctx) {
  // The latest few, oldest first, then everything after the head they were read at.
  Result<Json> page = ctx.api.Get(EventsTarget(ctx.global, o.filters, std::max(o.last, 1)));
  if (!page.ok()) return page.status();
  if (Status s = CheckPage(*page); !s.ok()) return s;
  int printed = 0;
  const Json& latest = (*page)["events"];
  const auto shown =
      static_cast<std::size_t>(std::min<std::size_t>(latest.size(), static_cast<std::size_t>(o.last)));
  for (std::size_t i = shown; i > 0; --i) {
    PrintLine(ctx.out, latest[i - 1], ctx.global.json);
    if (o.count > 0 && ++printed >= o.count) return Status::Ok();
  }
  ctx.out.flush();
  std::string head = (*page)["head_cursor"];
  const auto interval = std::chrono::duration<double>(std::max(o.interval_seconds, 0.05));
  for (;;) {
    std::this_thread::sleep_for(interval);
    Result<Json> next =
        ctx.api.Get(EventsTarget(ctx.global, o.filters, 1000) + "&since=" + PercentEncode(head));
    if (!next.ok()) return next.status();
    if (Status s = CheckPage(*next); !s.ok()) return s;
    for (const Json& event : (*next)["events"]) {
      PrintLine(ctx.out, event, ctx.global.json);
      if (o.count > 0 && ++printed >= o.count) return Status::Ok();
    }
    ctx.out.flush();
    head = (*next)["head_cursor"];
  }
}

}  // namespace

void AddEventsCommands(CLI::App& app) {
  CLI::App* events = app.add_subcommand("events", "Stored events: list them, or follow new ones");
  events->require_subcommand(1);

  auto list = std::make_shared<ListOptions>();
  CLI::App* cmd = events->add_subcommand("list", "List stored events, newest first (one page)");
  AddGlobalOptions(cmd, &list->global);
  AddFilterOptions(cmd, &list->filters);
  cmd->add_option("--limit", list->limit, "Events per page (1-1000, default 100)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--cursor", list->cursor, "The page after the one that printed this cursor");
  cmd->callback(
      [list] { RunClientCommand(list->global, [&](CommandContext& ctx) { return RunList(*list, ctx); }); });

  auto tail = std::make_shared<TailOptions>();
  cmd = events->add_subcommand("tail", "Print the latest events, then follow new ones until Ctrl-C");
  AddGlobalOptions(cmd, &tail->global);
  AddFilterOptions(cmd, &tail->filters);
  cmd->add_option("--last", tail->last, "How many of the latest events to print first (default 10)")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--interval", tail->interval_seconds, "Seconds between polls (default 1)")
      ->check(CLI::Range(0.05, 3600.0));
  cmd->add_option("--count", tail->count, "Exit after printing this many events (default 0: never)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback(
      [tail] { RunClientCommand(tail->global, [&](CommandContext& ctx) { return RunTail(*tail, ctx); }); });
}

}  // namespace switchyard::cli
