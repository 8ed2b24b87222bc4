-- Argo CD health of an Accord Review (portfolio.accord.dev/v1alpha1).
-- Source of the resource.customizations.health.portfolio.accord.dev_Review key
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
    return health("Progressing", "Waiting for the Accord operator to evaluate this Review")
  end
  local observed = obj.status.observedGeneration or 0
  if obj.metadata.generation ~= nil and observed < obj.metadata.generation then
    return health("Progressing", "Waiting for the Accord operator to evaluate generation " .. tostring(obj.metadata.generation) .. " (the status is for generation " .. tostring(observed) .. ")")
  end
  local ready = condition("Ready")
  if ready == nil or ready.status == "Unknown" then
    return health("Progressing", "Waiting for the Accord operator to evaluate this Review")
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

local applied = condition("Applied")
if applied ~= nil and applied.status == "True" then
  return health("Healthy", applied.message)
end
if applied ~= nil and applied.status == "False" then
  return health("Degraded", applied.message)
end
return health("Progressing", "Waiting for the Accord operator to apply this Review")
