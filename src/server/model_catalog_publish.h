// After a registry or route write: reload the project's catalog so the gateway reads the change.
#pragma once

#include <cstdint>

#include "server/server_context.h"

namespace switchyard::server {

// A failed reload is logged; the write stands, and the project's next write or a restart loads it.
void PublishModels(ServerContext& context, std::int64_t project_id);

}  // namespace switchyard::server
