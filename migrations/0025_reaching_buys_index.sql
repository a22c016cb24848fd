-- 0025: buy orders whose range reaches beyond their station, by type: what a player can sell into at a station
-- besides its own orders (adapters/postgres/market_reader.py's fillable books). Without it every /price and
-- appraisal scanned the region's whole partition (~35 ms for The Forge). Each snapshot's staging table builds the
-- same partial index (adapters/postgres/snapshots.py), so ATTACH PARTITION adopts it instead of building one.
CREATE INDEX IF NOT EXISTS market_orders_reaching_buys ON market_orders (type_id, price)
    WHERE is_buy_order AND range <> 'station';
