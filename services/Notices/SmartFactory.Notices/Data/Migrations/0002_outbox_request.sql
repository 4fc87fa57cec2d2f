-- The publishing authority's view of a closed notice shows what became of each item's command to the registry,
-- found by the command's request id (notice:{notice}:item:{item}).
create index outbox_request on outbox ((payload->>'requestId'));
