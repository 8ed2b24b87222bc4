-- Argo CD health of an Accord Portfolio (portfolio.accord.dev/v1alpha1).
-- Source of the resource.customizations.health.portfolio.accord.dev_Portfolio key
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
    return health("Progressing", "Waiting for the Accord operator to evaluate this Portfolio")
  end
  local observed = obj.status.observedGeneration or 0
  if obj.metadata.generation ~= nil and observed < obj.metadata.generation then
    return health("Progressing", "Waiting for the Accord operator to evaluate generation " .. tostring(obj.metadata.generation) .. " (the status is for generation " .. tostring(observed) .. ")")
  end
  local ready = condition("Ready")
  if ready == nil or ready.status == "Unknown" then
    return health("Progressing", "Waiting for the Accord operator to evaluate this Portfolio")
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
local reviewDue = condition("ReviewDue")
local message = ""
if healthy ~= nil then
  message = healthy.message
end
if atRisk ~= nil and atRisk.status == "True" then
  return health("Degraded", atRisk.message)
end
if healthy ~= nil and healthy.status == "True" then
  if reviewDue ~= nil and reviewDue.status == "True" then
    message = message .. ". " .. reviewDue.message
  end
  return health("Healthy", message)
end
-- Partnerships selected, none under way (all ended, or prospects):
-- nothing is wrong, nothing to wait for.
if healthy ~= nil and healthy.reason == "NoPartnerships" and healthy.status == "False" then
  return health("Healthy", message)
end
-- A selector that matches nothing needs a change in git.
if healthy ~= nil and healthy.reason == "NoPartnerships" then
  return health("Degraded", message)
end
-- SomeUnknown: waiting for its partnerships to be judged.
return health("Progressing", message)
