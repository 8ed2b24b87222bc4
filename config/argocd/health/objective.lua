-- Argo CD health of an Accord Objective (portfolio.accord.dev/v1alpha1).
-- Source of the resource.customizations.health.portfolio.accord.dev_Objective key
-- in config/argocd/argocd-cm.yaml: edit this file, then run
-- `go generate ./config/argocd`. Statuses per kind: docs/argocd.md.
-- Argo CD runs it without the string library: use .. and tostring only.

local function condition(name)
  for _, c in ipairs(obj.status.conditions) do
    if c.type == name then
      return c
    end
  end
  return nil
end

local function health(status, message)
  return {status = status, message = message}
end

-- Progressing until the operator has judged the current spec; Degraded
-- when its configuration prevents a judgement (Ready=False).
local function notJudged()
  if obj.status == nil or obj.status.conditions == nil then
    return health("Progressing", "Waiting for the Accord operator to evaluate this Objective")
  end
  local observed = obj.status.observedGeneration or 0
  if obj.metadata.generation ~= nil and observed < obj.metadata.generation then
    return health("Progressing", "Waiting for the Accord operator to evaluate generation " .. tostring(obj.metadata.generation) .. " (the status is for generation " .. tostring(observed) .. ")")
  end
  local ready = condition("Ready")
  if ready == nil or ready.status == "Unknown" then
    return health("Progressing", "Waiting for the Accord operator to evaluate this Objective")
  end
  if ready.status == "False" then
    return health("Degraded", ready.message)
  end
  return nil
end

local pending = notJudged()
if pending ~= nil then
  return pending
end

local atRisk = condition("AtRisk")
local healthy = condition("Healthy")
-- The partnership it counts toward has ended: finished, not failing.
if healthy ~= nil and healthy.reason == "PartnershipEnded" then
  return health("Healthy", healthy.message)
end
if atRisk ~= nil and atRisk.status == "True" then
  return health("Degraded", atRisk.message)
end
if healthy ~= nil and healthy.status == "True" then
  return health("Healthy", healthy.message)
end
-- A reference to a missing KPI, or no KPIs at all, needs a change in git.
if healthy ~= nil and (healthy.reason == "KPINotFound" or healthy.reason == "NoKPIs") then
  return health("Degraded", healthy.message)
end
-- KPIsUnknown: waiting for its KPIs' data.
if healthy ~= nil then
  return health("Progressing", healthy.message)
end
return health("Progressing", "Waiting for the Accord operator to judge this Objective")
