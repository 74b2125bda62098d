-- What each member has paid the creator (tier invoices and tips, less refunds), kept on
-- the membership: the members list showed it per row by summing the member's invoices,
-- refunds and tips four times over on every page. Moved by store::months in the
-- transaction of each payment, tip and refund; a new membership starts from the sum
-- (its first payment is recorded just before it).
ALTER TABLE memberships ADD COLUMN paid_minor BIGINT NOT NULL DEFAULT 0;

UPDATE memberships SET paid_minor =
    COALESCE((SELECT SUM(i.amount_paid_minor) FROM invoices i
        JOIN subscriptions p ON p.id = i.subscription_id
        WHERE p.user_id = memberships.user_id AND p.merchant_creator_id = memberships.creator_id), 0)
  - COALESCE((SELECT SUM(r.amount_minor) FROM refunds r JOIN invoices i ON i.id = r.invoice_id
        JOIN subscriptions p ON p.id = i.subscription_id
        WHERE p.user_id = memberships.user_id AND p.merchant_creator_id = memberships.creator_id), 0)
  + COALESCE((SELECT SUM(tp.amount_minor) FROM tips tp WHERE tp.membership_id = memberships.id), 0)
  - COALESCE((SELECT SUM(r.amount_minor) FROM refunds r JOIN tips tp ON tp.invoice_id = r.invoice_id
        WHERE tp.membership_id = memberships.id), 0);
