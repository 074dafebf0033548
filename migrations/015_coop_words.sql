-- 015_coop_words.sql: an index of the words of cooperatives' names, for the list's search.
--
-- A search used to test every cooperative of the scope with instr(name_fold, word): at national
-- scale (65,000 cooperatives) a list page cost tens of milliseconds. coop_word holds each word
-- of name_fold (the folded Arabic and French names) once per cooperative, keyed by region so
-- that a search in a region reads only that region's entries, and a query word matches the
-- words it begins: "fem" finds "feminine". An Arabic word that begins with an attached
-- article or preposition is also entered without it (الفجر also as فجر, للنباتات as نباتات
-- and النباتات, والطبيه as طبيه and الطبيه), so that a search for نباتات finds للنباتات as the
-- substring test did.
--
-- The triggers below keep it in step with every write, whatever the writer (the server, the
-- import, the demo, or the sqlite3 shell): they are plain SQL, with no function of murafiq.
-- name_fold holds letters, digits and single spaces (text_fold); json_quote makes the split
-- safe for anything else a hand edit might put there.
CREATE TABLE coop_word (
    region_code TEXT NOT NULL,
    word TEXT NOT NULL,
    coop_id INTEGER NOT NULL,
    PRIMARY KEY (region_code, word, coop_id)
) WITHOUT ROWID;
-- For the writes (a cooperative's own words) and for the second and later words of a query.
CREATE INDEX coop_word_coop ON coop_word(coop_id, word);

CREATE TRIGGER coop_word_insert AFTER INSERT ON cooperative
BEGIN
    INSERT OR IGNORE INTO coop_word (region_code, word, coop_id)
    SELECT NEW.region_code, w, NEW.id FROM (
        SELECT value AS w FROM json_each('[' || replace(json_quote(NEW.name_fold), ' ', '","') || ']')
        UNION ALL
        SELECT CASE
            WHEN length(value) >= 5 AND substr(value, 1, 3) IN ('وال', 'بال', 'كال', 'فال')
                THEN substr(value, 4)
            WHEN length(value) >= 4 AND substr(value, 1, 2) IN ('ال', 'لل') THEN substr(value, 3)
            WHEN length(value) >= 4 AND substr(value, 1, 1) IN ('و', 'ل', 'ب', 'ف', 'ك')
                THEN substr(value, 2)
        END FROM json_each('[' || replace(json_quote(NEW.name_fold), ' ', '","') || ']')
        UNION ALL
        SELECT CASE
            WHEN length(value) >= 5 AND substr(value, 1, 3) IN ('وال', 'بال', 'كال', 'فال')
                THEN substr(value, 2)
            WHEN length(value) >= 4 AND substr(value, 1, 2) = 'لل' THEN 'ال' || substr(value, 3)
        END FROM json_each('[' || replace(json_quote(NEW.name_fold), ' ', '","') || ']')
    ) WHERE w IS NOT NULL AND w <> '';
END;

CREATE TRIGGER coop_word_update AFTER UPDATE OF name_fold, region_code ON cooperative
BEGIN
    DELETE FROM coop_word WHERE coop_id = OLD.id;
    INSERT OR IGNORE INTO coop_word (region_code, word, coop_id)
    SELECT NEW.region_code, w, NEW.id FROM (
        SELECT value AS w FROM json_each('[' || replace(json_quote(NEW.name_fold), ' ', '","') || ']')
        UNION ALL
        SELECT CASE
            WHEN length(value) >= 5 AND substr(value, 1, 3) IN ('وال', 'بال', 'كال', 'فال')
                THEN substr(value, 4)
            WHEN length(value) >= 4 AND substr(value, 1, 2) IN ('ال', 'لل') THEN substr(value, 3)
            WHEN length(value) >= 4 AND substr(value, 1, 1) IN ('و', 'ل', 'ب', 'ف', 'ك')
                THEN substr(value, 2)
        END FROM json_each('[' || replace(json_quote(NEW.name_fold), ' ', '","') || ']')
        UNION ALL
        SELECT CASE
            WHEN length(value) >= 5 AND substr(value, 1, 3) IN ('وال', 'بال', 'كال', 'فال')
                THEN substr(value, 2)
            WHEN length(value) >= 4 AND substr(value, 1, 2) = 'لل' THEN 'ال' || substr(value, 3)
        END FROM json_each('[' || replace(json_quote(NEW.name_fold), ' ', '","') || ']')
    ) WHERE w IS NOT NULL AND w <> '';
END;

CREATE TRIGGER coop_word_delete AFTER DELETE ON cooperative
BEGIN
    DELETE FROM coop_word WHERE coop_id = OLD.id;
END;

-- The cooperatives already recorded.
INSERT OR IGNORE INTO coop_word (region_code, word, coop_id)
SELECT c.region_code, j.value, c.id
FROM cooperative c, json_each('[' || replace(json_quote(c.name_fold), ' ', '","') || ']') j
WHERE j.value <> ''
UNION ALL
SELECT c.region_code, CASE
    WHEN length(j.value) >= 5 AND substr(j.value, 1, 3) IN ('وال', 'بال', 'كال', 'فال')
        THEN substr(j.value, 4)
    WHEN length(j.value) >= 4 AND substr(j.value, 1, 2) IN ('ال', 'لل') THEN substr(j.value, 3)
    WHEN length(j.value) >= 4 AND substr(j.value, 1, 1) IN ('و', 'ل', 'ب', 'ف', 'ك')
        THEN substr(j.value, 2)
END AS w, c.id
FROM cooperative c, json_each('[' || replace(json_quote(c.name_fold), ' ', '","') || ']') j
WHERE w IS NOT NULL
UNION ALL
SELECT c.region_code, CASE
    WHEN length(j.value) >= 5 AND substr(j.value, 1, 3) IN ('وال', 'بال', 'كال', 'فال')
        THEN substr(j.value, 2)
    WHEN length(j.value) >= 4 AND substr(j.value, 1, 2) = 'لل' THEN 'ال' || substr(j.value, 3)
END AS w, c.id
FROM cooperative c, json_each('[' || replace(json_quote(c.name_fold), ' ', '","') || ']') j
WHERE w IS NOT NULL;
