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

-- The words of a name: each word (k = 1), and for an Arabic word (U+0621 to U+064A) the same
-- without its attached article or preposition (k = 2: وال بال كال فال when 2 letters stay, ال لل
-- when 2 stay, و ل ب ف ك when 3 stay) and, after a preposition, with the article alone (k = 3:
-- والطبيه as الطبيه, للنباتات as النباتات). One view holds the rule for the triggers and the
-- filling below; a trigger's "WHERE id = NEW.id" reads the one cooperative (the view is
-- flattened into it). One pass over the words, and OR chains rather than IN lists (an IN list
-- is an ephemeral table built at each run of a trigger's statement): 20,000 inserts took 2.9 s
-- in the sqlite3 shell, against 7.2 s with three passes and IN lists.
CREATE VIEW coop_word_source AS
SELECT c.region_code AS region_code, CASE k.value
    WHEN 1 THEN j.value
    WHEN 2 THEN CASE -- without the article or preposition
        WHEN length(j.value) >= 5 AND (substr(j.value, 1, 3) = 'وال' OR substr(j.value, 1, 3) = 'بال'
            OR substr(j.value, 1, 3) = 'كال' OR substr(j.value, 1, 3) = 'فال') THEN substr(j.value, 4)
        WHEN length(j.value) >= 4 AND (substr(j.value, 1, 2) = 'ال' OR substr(j.value, 1, 2) = 'لل')
            THEN substr(j.value, 3)
        WHEN length(j.value) >= 4 AND (substr(j.value, 1, 1) = 'و' OR substr(j.value, 1, 1) = 'ل'
            OR substr(j.value, 1, 1) = 'ب' OR substr(j.value, 1, 1) = 'ف' OR substr(j.value, 1, 1) = 'ك')
            THEN substr(j.value, 2)
    END
    ELSE CASE -- with the article alone
        WHEN length(j.value) >= 5 AND (substr(j.value, 1, 3) = 'وال' OR substr(j.value, 1, 3) = 'بال'
            OR substr(j.value, 1, 3) = 'كال' OR substr(j.value, 1, 3) = 'فال') THEN substr(j.value, 2)
        WHEN length(j.value) >= 4 AND substr(j.value, 1, 2) = 'لل' THEN 'ال' || substr(j.value, 3)
    END
END AS word, c.id AS coop_id
FROM cooperative c, json_each('[' || replace(json_quote(c.name_fold), ' ', '","') || ']') j,
    json_each('[1, 2, 3]') k
WHERE (k.value = 1 OR unicode(j.value) BETWEEN 1569 AND 1610) AND word IS NOT NULL AND word <> '';

CREATE TRIGGER coop_word_insert AFTER INSERT ON cooperative
BEGIN
    INSERT OR IGNORE INTO coop_word (region_code, word, coop_id)
    SELECT region_code, word, coop_id FROM coop_word_source WHERE coop_id = NEW.id;
END;

CREATE TRIGGER coop_word_update AFTER UPDATE OF name_fold, region_code ON cooperative
BEGIN
    DELETE FROM coop_word WHERE coop_id = OLD.id;
    INSERT OR IGNORE INTO coop_word (region_code, word, coop_id)
    SELECT region_code, word, coop_id FROM coop_word_source WHERE coop_id = NEW.id;
END;

CREATE TRIGGER coop_word_delete AFTER DELETE ON cooperative
BEGIN
    DELETE FROM coop_word WHERE coop_id = OLD.id;
END;

-- The cooperatives already recorded.
INSERT OR IGNORE INTO coop_word (region_code, word, coop_id)
SELECT region_code, word, coop_id FROM coop_word_source;
