#include "registry/model_catalog.h"

#include <utility>

#include "registry/model_reference.h"

namespace switchyard::registry {

CatalogSnapshot::CatalogSnapshot(std::vector<ModelVersion> versions, const std::vector<ModelAlias>& aliases,
                                 std::vector<RouteDefinition> routes) {
  for (ModelVersion& version : versions) {
    std::string reference = version.Reference();
    versions_.emplace(std::move(reference), std::move(version));
  }
  for (const ModelAlias& alias : aliases) aliases_.emplace(alias.name + "@" + alias.alias, alias.version);
  for (RouteDefinition& route : routes) {
    std::string key = route.key;
    routes_.emplace(std::move(key), std::move(route));
  }
  for (const auto& [key, route] : routes_) {
    for (const auto& [field, reference] : route.References()) {
      if (resolved_.contains(reference)) continue;
      if (auto resolved = ResolveUncached(reference); resolved.ok()) resolved_.emplace(reference, *resolved);
    }
  }
}

const RouteDefinition* CatalogSnapshot::FindRoute(std::string_view route_key) const {
  auto it = routes_.find(route_key);
  return it == routes_.end() ? nullptr : &it->second;
}

Result<ResolvedModel> CatalogSnapshot::Resolve(std::string_view model_reference) const {
  if (auto it = resolved_.find(model_reference); it != resolved_.end()) return it->second;
  return ResolveUncached(model_reference);
}

Result<ResolvedModel> CatalogSnapshot::ResolveUncached(std::string_view model_reference) const {
  auto parsed = ParseModelReference(model_reference);
  if (!parsed.ok()) return parsed.status();
  std::string version = parsed->version;
  if (version.empty()) {
    auto alias = aliases_.find(parsed->name + "@" + parsed->alias);
    if (alias == aliases_.end())
      return Status::NotFound("model " + parsed->ToString() + " not found (no such model or alias)", "model");
    version = alias->second;
  }
  auto it = versions_.find(parsed->name + "@" + version);
  if (it == versions_.end())
    return Status::NotFound("model " + parsed->name + "@" + version + " not found", "model");
  if (it->second.state == ModelState::kArchived)
    return Status::NotFound("model " + it->first + " is archived", "model");
  return ResolvedModel{it->first, &it->second};
}

std::vector<const RouteDefinition*> CatalogSnapshot::Routes() const {
  std::vector<const RouteDefinition*> out;
  out.reserve(routes_.size());
  for (const auto& [key, route] : routes_) out.push_back(&route);
  return out;
}

ModelCatalog::ModelCatalog()
    : empty_(std::make_shared<const CatalogSnapshot>()), map_(std::make_shared<const Map>()) {}

std::shared_ptr<const CatalogSnapshot> ModelCatalog::Get(std::int64_t project_id) const {
  std::shared_ptr<const Map> map = map_.load(std::memory_order_acquire);
  auto it = map->find(project_id);
  return it == map->end() ? empty_ : it->second;
}

Result<std::shared_ptr<const CatalogSnapshot>> ModelCatalog::Load(store::Store& store,
                                                                  std::int64_t project_id) {
  auto versions = store.ListModelVersions(project_id);
  if (!versions.ok()) return versions.status();
  auto aliases = store.ListModelAliases(project_id);
  if (!aliases.ok()) return aliases.status();
  auto routes = store.ListRoutes(project_id);
  if (!routes.ok()) return routes.status();
  return std::make_shared<const CatalogSnapshot>(std::move(*versions), *aliases, std::move(*routes));
}

Status ModelCatalog::Reload(store::Store& store, std::int64_t project_id) {
  // Serialized from the store read to the publication, so an older read never replaces a newer one.
  MutexLock lock(reload_mutex_);
  auto snapshot = Load(store, project_id);
  if (!snapshot.ok()) return snapshot.status();
  auto next = std::make_shared<Map>(*map_.load(std::memory_order_acquire));
  (*next)[project_id] = std::move(*snapshot);
  map_.store(std::move(next), std::memory_order_release);
  return Status::Ok();
}

Status ModelCatalog::ReloadAll(store::Store& store) {
  MutexLock lock(reload_mutex_);
  auto projects = store.ListProjects();
  if (!projects.ok()) return projects.status();
  auto next = std::make_shared<Map>();
  for (const store::Project& project : *projects) {
    auto snapshot = Load(store, project.id);
    if (!snapshot.ok()) return snapshot.status();
    (*next)[project.id] = std::move(*snapshot);
  }
  map_.store(std::move(next), std::memory_order_release);
  return Status::Ok();
}

}  // namespace switchyard::registry
