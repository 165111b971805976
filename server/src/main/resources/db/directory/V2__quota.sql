-- RFC 9208 STORAGE quota per account, in octets; NULL: no limit. Set with `postern user quota`.
ALTER TABLE account ADD COLUMN quota_bytes INTEGER;
