#include "server/model_catalog_publish.h"

#include <spdlog/spdlog.h>

namespace switchyard::server {

void PublishModels(ServerContext& context, std::int64_t project_id) {
  if (context.models == nullptr) return;
  if (Status s = context.models->Reload(context.store, project_id); !s.ok())
    spdlog::error("cannot reload the model catalog of project {}: {}", project_id, s.ToString());
}

}  // namespace switchyard::server
