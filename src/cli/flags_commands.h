// `switchyard flags ...`: the flag management commands.
//
// Registration is split by concern: reading (list, get), editing one flag (create, update,
// delete, enable, disable, rollout), promoting between environments, and flags-as-code (export,
// apply), and lifecycle (archive, stale, schedules). Each registrar adds its subcommands to the `flags`
// command.
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

// Adds `flags` and all its subcommands to `app`.
void AddFlagsCommands(CLI::App& app);

void AddFlagReadCommands(CLI::App* flags);
void AddFlagWriteCommands(CLI::App* flags);
void AddFlagPromoteCommand(CLI::App* flags);
void AddFlagsAsCodeCommands(CLI::App* flags);
// archive, unarchive, stale, schedule, schedules, unschedule.
void AddFlagLifecycleCommands(CLI::App* flags);

}  // namespace switchyard::cli
