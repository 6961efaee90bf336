-- GLPI Agent's own id (its GLPI-Agent-ID header, a UUID it keeps for good): the agent
-- row follows it when the agent's device id changes, as it does when the machine is
-- renamed. NULL for the other agents.
ALTER TABLE agents ADD COLUMN agent_uuid TEXT;
CREATE UNIQUE INDEX agents_agent_uuid ON agents(agent_uuid) WHERE agent_uuid IS NOT NULL;
