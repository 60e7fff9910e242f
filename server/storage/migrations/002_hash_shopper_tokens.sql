-- Shopper tokens are bearer secrets: keep only their SHA-256 (hex). The
-- columns keep their names; they now hold digests.

ALTER TABLE reservations DROP CONSTRAINT reservations_shopper_token_fkey;

UPDATE shoppers SET token = encode(sha256(convert_to(token, 'UTF8')), 'hex');

UPDATE reservations SET shopper_token = encode(sha256(convert_to(shopper_token, 'UTF8')), 'hex');

UPDATE idempotency_keys SET principal = 'shopper:' || encode(sha256(convert_to(substr(principal, 9), 'UTF8')), 'hex')
WHERE principal LIKE 'shopper:%';

ALTER TABLE reservations ADD CONSTRAINT reservations_shopper_token_fkey FOREIGN KEY (shopper_token) REFERENCES shoppers (token);
