// The gateway's read path: per project, an immutable snapshot of the registry (versions,
// aliases, routes) that resolves references without touching the store.
//
// Readers never block: the map of snapshots sits behind one std::atomic<std::shared_ptr>, and a
// reader keeps the snapshot it loaded (and every pointer into it) for as long as it holds it.
// Reloads are serialized, read the store, and publish a new map.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/thread_annotations.h"
#include "registry/model_alias.h"
#include "registry/model_version.h"
#include "registry/route_definition.h"
#include "store/store.h"
#include "switchyard/status.h"

namespace switchyard::registry {

struct ResolvedModel {
  std::string reference;  // "name@version"
  const ModelVersion* version;
};

class CatalogSnapshot {  // immutable; one per project
 public:
  CatalogSnapshot() = default;
  CatalogSnapshot(std::vector<ModelVersion> versions, const std::vector<ModelAlias>& aliases,
                  std::vector<RouteDefinition> routes);
  // resolved_ points into versions_: a copy would point into the original.
  CatalogSnapshot(const CatalogSnapshot&) = delete;
  CatalogSnapshot& operator=(const CatalogSnapshot&) = delete;

  const RouteDefinition* FindRoute(std::string_view route_key) const;  // nullptr if none
  // name, name@alias or name@version -> the version. InvalidArgument when the reference does not
  // parse; NotFound naming it when the model, alias or version is unknown or the version archived.
  Result<ResolvedModel> Resolve(std::string_view model_reference) const;
  std::vector<const RouteDefinition*> Routes() const;  // sorted by key

 private:
  Result<ResolvedModel> ResolveUncached(std::string_view model_reference) const;

  std::map<std::string, ModelVersion, std::less<>> versions_;   // by name@version
  std::map<std::string, std::string, std::less<>> aliases_;     // name@alias -> version
  std::map<std::string, RouteDefinition, std::less<>> routes_;  // by key
  // Every reference a route names that resolves, resolved once: the gateway resolves two per
  // call, and parsing them each time was ~12 allocations. The snapshot is immutable, so these
  // cannot go stale; a reference that does not resolve takes the slow path and its error.
  std::map<std::string, ResolvedModel, std::less<>> resolved_;
};

class ModelCatalog {  // thread-safe; readers never block
 public:
  ModelCatalog();

  std::shared_ptr<const CatalogSnapshot> Get(std::int64_t project_id) const;  // empty snapshot if unknown
  Status Reload(store::Store& store, std::int64_t project_id);
  Status ReloadAll(store::Store& store);

 private:
  using Map = std::map<std::int64_t, std::shared_ptr<const CatalogSnapshot>>;

  static Result<std::shared_ptr<const CatalogSnapshot>> Load(store::Store& store, std::int64_t project_id);

  std::shared_ptr<const CatalogSnapshot> empty_;
  std::atomic<std::shared_ptr<const Map>> map_;  // read lock-free; stored under reload_mutex_
  Mutex reload_mutex_;
};

}  // namespace switchyard::registry
