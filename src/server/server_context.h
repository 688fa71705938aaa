// ServerContext: what request handlers may use. Owned by the serve command for the life of the
// server (no globals); handlers get it by reference. Every member is thread-safe.
#pragma once

#include "registry/model_catalog.h"
#include "server/evaluation_counters.h"
#include "server/event_pipeline.h"
#include "server/experiment_gate.h"
#include "server/experiment_service.h"
#include "server/exposure_recorder.h"
#include "server/flag_service.h"
#include "server/flag_snapshots.h"
#include "server/key_ring.h"
#include "server/person_cache.h"
#include "server/server_metrics.h"
#include "server/worker_pool.h"
#include "store/store.h"

namespace switchyard::server {

class ExperimentAggregator;
class GatewayService;
class GatewayMetrics;

struct ServerContext {
  store::Store& store;
  KeyRing& keys;
  FlagSnapshots& snapshots;
  FlagService& flags;
  ServerMetrics& metrics;
  // Optional (unit tests run without them): blocking work then runs inline, and person reads
  // always go to the store.
  PersonCache* persons = nullptr;
  WorkerPool* workers = nullptr;
  // Ingestion (events, identify) and the event log; without it those routes answer 503.
  EventPipeline* events = nullptr;
  // Optional: without it evaluations are not counted and the stale report reads the store only.
  EvaluationCounters* counters = nullptr;
  // Experiments: the service behind the experiment routes (without it they answer 503), the gate
  // every evaluation passes its results through, and the exposures it records (for /metrics).
  ExperimentService* experiments = nullptr;
  const ExperimentGate* experiment_gate = nullptr;
  ExposureRecorder* exposures = nullptr;
  // Optional: experiment aggregation (without it the aggregate route answers 503).
  ExperimentAggregator* aggregator = nullptr;
  // Optional: the gateway's per-route metrics (without it GET /api/v1/gateway/stats answers 503).
  GatewayMetrics* gateway_metrics = nullptr;
  // The model gateway: the registry's published models and routes, and what the gateway routes
  // share (outbound client, shadow bound, call events). Without both the gateway routes are absent.
  registry::ModelCatalog* models = nullptr;
  GatewayService* gateway = nullptr;
};

}  // namespace switchyard::server
