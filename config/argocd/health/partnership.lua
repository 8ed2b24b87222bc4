-- Argo CD health of an Accord Partnership (portfolio.accord.dev/v1alpha1).
-- Source of the resource.customizations.health.portfolio.accord.dev_Partnership key
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
    return health("Progressing", "Waiting for the Accord operator to evaluate this Partnership")
  end
  local observed = obj.status.observedGeneration or 0
  if obj.metadata.generation ~= nil and observed < obj.metadata.generation then
    return health("Progressing", "Waiting for the Accord operator to evaluate generation " .. tostring(obj.metadata.generation) .. " (the status is for generation " .. tostring(observed) .. ")")
  end
  local ready = condition("Ready")
  if ready == nil or ready.status == "Unknown" then
    return health("Progressing", "Waiting for the Accord operator to evaluate this Partnership")
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
-- Ended (after its exit date, or its agreement's end without renewal):
-- healthy and finished, not Degraded for being out of force.
if obj.status.phase == "Exited" then
  return health("Healthy", message)
end
-- Before its agreement (Prospect): healthy and not started, not
-- Progressing for ever; nothing is judged, and its candidates' ranking is
-- the message. Past-dated draft terms are named, as a review due is.
if obj.status.phase == "Prospect" then
  if reviewDue ~= nil and reviewDue.status == "True" then
    message = message .. " Review due: " .. reviewDue.message
  end
  return health("Healthy", "Not started. " .. message)
end
if obj.status.phase == "Paused" then
  return health("Suspended", "The partnership is paused. " .. message)
end
if atRisk ~= nil and atRisk.status == "True" then
  return health("Degraded", atRisk.message)
end
if healthy ~= nil and healthy.status == "True" then
  -- A review that is due is governance, not a fault: it is named in the
  -- message and does not change the health.
  if reviewDue ~= nil and reviewDue.status == "True" then
    message = message .. ". Review due: " .. reviewDue.message
  end
  return health("Healthy", message)
end
if healthy ~= nil and healthy.reason == "AgreementNotInForce" then
  return health("Suspended", message)
end
if healthy ~= nil and (healthy.reason == "AgreementExpired" or healthy.reason == "NoObjectives") then
  return health("Degraded", message)
end
-- ObjectivesUnknown: waiting for its objectives to be judged.
return health("Progressing", message)
