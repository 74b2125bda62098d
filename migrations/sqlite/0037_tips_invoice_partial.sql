-- Every paid invoice asks whether it pays for a tip (store::months::owner_of_invoice).
-- A plain index on tips (invoice_id) counts the tips without an invoice as one value,
-- and where many tips have none (imported or generated ones) the planner judged the
-- index useless and read every tip for each renewal. Only tips with an invoice are
-- indexed now, which `invoice_id = $1` always selects from.
DROP INDEX tips_invoice;
CREATE INDEX tips_invoice ON tips (invoice_id) WHERE invoice_id IS NOT NULL;
