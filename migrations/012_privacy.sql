-- 012_privacy.sql: law 09-08 (Morocco's personal-data protection law, the CNDP): the register
-- of processing activities, the consent wordings and each person's consents, the objection
-- flag (opposition, art. 9) and the end dates of memberships (where retention starts).
-- Texts meant for people are in the data in Arabic and French (one column per language).

CREATE TABLE processing_activity (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,    -- stable name used by the purge (registry, signin...)
    position INTEGER NOT NULL,    -- order in the register
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    purpose_ar TEXT NOT NULL DEFAULT '',
    purpose_fr TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL CHECK (legal_basis IN ('consent', 'contract', 'legal_obligation',
                                                     'public_interest', 'legitimate_interest')),
    legal_basis_note_ar TEXT NOT NULL DEFAULT '',
    legal_basis_note_fr TEXT NOT NULL DEFAULT '',
    data_categories_ar TEXT NOT NULL DEFAULT '',
    data_categories_fr TEXT NOT NULL DEFAULT '',
    data_subjects_ar TEXT NOT NULL DEFAULT '',
    data_subjects_fr TEXT NOT NULL DEFAULT '',
    recipients_ar TEXT NOT NULL DEFAULT '',
    recipients_fr TEXT NOT NULL DEFAULT '',
    -- How long the data are kept, in months, counted from retention_start.
    retention_months INTEGER NOT NULL CHECK (retention_months BETWEEN 0 AND 1200),
    retention_start TEXT NOT NULL CHECK (retention_start IN ('membership_end', 'call_closed',
                                                             'support_end', 'event')),
    transfers_abroad INTEGER NOT NULL DEFAULT 0 CHECK (transfers_abroad IN (0, 1)),
    transfers_ar TEXT NOT NULL DEFAULT '',
    transfers_fr TEXT NOT NULL DEFAULT '',
    security_ar TEXT NOT NULL DEFAULT '',
    security_fr TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

INSERT INTO processing_activity (code, position, name_ar, name_fr, purpose_ar, purpose_fr,
    legal_basis, legal_basis_note_ar, legal_basis_note_fr, data_categories_ar, data_categories_fr,
    data_subjects_ar, data_subjects_fr, recipients_ar, recipients_fr, retention_months,
    retention_start, transfers_ar, transfers_fr, security_ar, security_fr, updated_at)
VALUES
('registry', 1, 'سجل التعاونيات وأعضائها', 'Registre des coopératives et de leurs membres',
 'مسك سجل التعاونيات المواكبة وأعضائها، لتحديد المستفيدين من برامج الدعم وتتبع تركيبة التعاونيات (النساء والشباب).',
 'Tenir le registre des coopératives accompagnées et de leurs membres, pour identifier les bénéficiaires des programmes d''appui et suivre la composition des coopératives (femmes, jeunes).',
 'public_interest',
 'مهمة المصلحة العامة لهيئات دعم التعاونيات (القانون 112.12 المتعلق بالتعاونيات)؛ مع جمع موافقة الأعضاء وتسجيلها.',
 'Mission d''intérêt public des organismes d''appui aux coopératives (loi 112-12 relative aux coopératives) ; consentement des membres recueilli et enregistré.',
 'الهوية (الاسم بالعربية والفرنسية، الجنس، تاريخ الازدياد)، رقم البطاقة الوطنية للتعريف (مشفر)، الهاتف، الجهة والإقليم، العضوية والمهمة في التعاونيات، الموافقات والتعرض.',
 'Identité (noms en arabe et en français, sexe, date de naissance), numéro de la CIN (chiffré), téléphone, région et province, appartenance et fonction dans les coopératives, consentements et opposition.',
 'أعضاء التعاونيات ومسيروها.', 'Membres et dirigeants des coopératives.',
 'الأعوان المؤهلون للهيئة، والمكلفون الجهويون في حدود جهاتهم فقط؛ لا يسلم أي معطى لطرف آخر.',
 'Agents habilités de l''organisme, et chargés régionaux pour leurs seules régions ; aucune communication à des tiers.',
 60, 'membership_end', 'لا يوجد أي نقل خارج المغرب.', 'Aucun transfert hors du Maroc.',
 'ولوج بحساب شخصي ودور محدد، في حدود جهات العون؛ كلمات مرور argon2id؛ رقم البطاقة الوطنية مشفر عند التخزين؛ سجل تدقيق متسلسل؛ نسخ احتياطية.',
 'Accès par compte nominatif et par rôle, limité aux régions de l''agent ; mots de passe argon2id ; CIN chiffrée au repos ; journal d''audit chaîné ; sauvegardes.',
 '2026-01-01T00:00:00Z'),
('applications', 2, 'الترشيحات والانتقاء', 'Candidatures et sélection',
 'تلقي ترشيحات التعاونيات لطلبات الترشيح، والتحقق من أهليتها، وترتيبها، وإصدار قرارات الانتقاء.',
 'Recevoir les candidatures des coopératives aux appels, vérifier leur éligibilité, les classer et rendre les décisions de sélection.',
 'public_interest',
 'تنفيذ برامج الدعم العمومية ومراقبة استعمال الأموال العمومية.',
 'Exécution des programmes publics d''appui et contrôle de l''usage des fonds publics.',
 'معطيات التعاونية، ملخص المشروع، نتيجة الأهلية، النقط، القرار؛ اسم الرئيس في رسالة القرار.',
 'Données de la coopérative, résumé du projet, résultat de l''éligibilité, notes, décision ; nom du président dans la lettre de décision.',
 'التعاونيات المترشحة ومسيروها.', 'Coopératives candidates et leurs dirigeants.',
 'مسيرو البرنامج والمكلفون الجهويون؛ الممولون والشركاء (نتائج إجمالية فقط).',
 'Gestionnaires du programme et chargés régionaux ; bailleurs et partenaires (résultats agrégés seulement).',
 120, 'call_closed', 'لا يوجد أي نقل خارج المغرب.', 'Aucun transfert hors du Maroc.',
 'ولوج حسب الدور والجهة؛ عمليات انتقاء مسجلة قابلة لإعادة الحساب؛ قرعة قابلة للتحقق العلني؛ سجل تدقيق متسلسل.',
 'Accès par rôle et par région ; sélections enregistrées et rejouables ; tirages au sort vérifiables publiquement ; journal d''audit chaîné.',
 '2026-01-01T00:00:00Z'),
('evaluations', 3, 'تقييم الترشيحات', 'Évaluation des candidatures',
 'تنقيط الترشيحات وفق شبكة الطلب، والتصريح بعدم وجود تضارب المصالح.',
 'Noter les candidatures selon la grille de l''appel, et déclarer l''absence de conflit d''intérêts.',
 'public_interest',
 'شفافية الانتقاء وإمكانية تتبعه في إطار برامج الدعم العمومية.',
 'Transparence et traçabilité de la sélection dans les programmes publics d''appui.',
 'هوية المقيمين وحساباتهم، تصريحات تضارب المصالح، النقط والملاحظات.',
 'Identité et compte des évaluateurs, déclarations de conflit d''intérêts, notes et commentaires.',
 'المقيمون (أعوان وخبراء).', 'Évaluateurs (agents et experts).',
 'مسيرو البرنامج؛ كل مقيم بالنسبة لتقييماته.',
 'Gestionnaires du programme ; chaque évaluateur pour ses propres évaluations.',
 120, 'call_closed', 'لا يوجد أي نقل خارج المغرب.', 'Aucun transfert hors du Maroc.',
 'لا يرى المقيم إلا الترشيحات المسندة إليه، بعد التصريح بعدم تضارب المصالح؛ سجل تدقيق متسلسل.',
 'Un évaluateur ne voit que les candidatures qui lui sont confiées, après sa déclaration d''absence de conflit ; journal d''audit chaîné.',
 '2026-01-01T00:00:00Z'),
('coaching', 4, 'المواكبة والتكوين (قريبا)', 'Accompagnement et formation (à venir)',
 'برمجة وتتبع حصص المواكبة والتكوين لفائدة التعاونيات وحضور الأعضاء.',
 'Planifier et suivre les séances d''accompagnement et de formation des coopératives et la présence des membres.',
 'public_interest',
 'تنفيذ برامج الدعم العمومية.', 'Exécution des programmes publics d''appui.',
 'الحضور في الحصص، المواضيع المتابعة، تقييمات نهاية التكوين.',
 'Présence aux séances, thèmes suivis, évaluations de fin de formation.',
 'أعضاء التعاونيات المواكبة؛ المواكبون والمكونون.',
 'Membres des coopératives accompagnées ; coachs et formateurs.',
 'المواكبون ومسيرو البرنامج.', 'Coachs et gestionnaires du programme.',
 60, 'support_end', 'لا يوجد أي نقل خارج المغرب.', 'Aucun transfert hors du Maroc.',
 'ولوج حسب الدور والجهة؛ سجل تدقيق متسلسل.', 'Accès par rôle et par région ; journal d''audit chaîné.',
 '2026-01-01T00:00:00Z'),
('accounts', 5, 'حسابات المستخدمين وسجل التدقيق', 'Comptes des utilisateurs et journal d''audit',
 'التعرف على الأعوان، وإسناد الأدوار والجهات، وتتبع من اطلع على ماذا ومن غيره.',
 'Authentifier les agents, leur attribuer rôles et régions, et tracer qui a consulté et modifié quoi.',
 'legal_obligation',
 'واجب المسؤول عن المعالجة في حماية المعطيات (القانون 09.08، المادة 23).',
 'Obligation de sécurité du responsable du traitement (loi 09-08, article 23).',
 'اسم الدخول، الدور، الجهات، بصمة كلمة المرور، آخر دخول؛ مدخلات سجل التدقيق (المستخدم، التاريخ، عنوان IP، العملية، القيم قبل التغيير وبعده).',
 'Identifiant, rôle, régions, empreinte du mot de passe, dernière connexion ; entrées du journal d''audit (utilisateur, date, adresse IP, action, valeurs avant et après).',
 'مستخدمو مرافق (أعوان، مواكبون، مقيمون، مسؤولون).',
 'Utilisateurs de murafiq (agents, coachs, évaluateurs, administrateurs).',
 'المسؤولون عن النظام؛ المدققون واللجنة الوطنية لمراقبة حماية المعطيات ذات الطابع الشخصي عند الطلب.',
 'Administrateurs ; auditeurs et CNDP sur demande.',
 120, 'event', 'لا يوجد أي نقل خارج المغرب.', 'Aucun transfert hors du Maroc.',
 'كلمات مرور argon2id؛ جلسات مخزنة كبصمات؛ سجل تدقيق يضاف إليه فقط، متسلسل بالبصمات.',
 'Mots de passe argon2id ; sessions stockées sous forme d''empreintes ; journal d''audit en ajout seul, chaîné par empreintes.',
 '2026-01-01T00:00:00Z'),
('signin', 6, 'أمن تسجيل الدخول (الجلسات والمحاولات الفاشلة)',
 'Sécurité des connexions (sessions et échecs de connexion)',
 'إبقاء الجلسات مفتوحة، والحد من محاولات تخمين كلمات المرور.',
 'Maintenir les sessions ouvertes, et freiner les tentatives de deviner les mots de passe.',
 'legal_obligation',
 'واجب المسؤول عن المعالجة في حماية المعطيات (القانون 09.08، المادة 23).',
 'Obligation de sécurité du responsable du traitement (loi 09-08, article 23).',
 'اسم الدخول المكتوب، عنوان IP وتاريخ المحاولات الفاشلة؛ بصمة معرف الجلسة وتاريخ إنشائها وآخر نشاط.',
 'Identifiant saisi, adresse IP et date des tentatives échouées ; empreinte de l''identifiant de session, dates de création et de dernière activité.',
 'المستخدمون وكل من يحاول تسجيل الدخول.', 'Utilisateurs, et toute personne qui tente de se connecter.',
 'المسؤولون عن النظام.', 'Administrateurs.',
 3, 'event', 'لا يوجد أي نقل خارج المغرب.', 'Aucun transfert hors du Maroc.',
 'تحذف الجلسات المنتهية والمحاولات القديمة بأمر murafiq retention purge.',
 'Les sessions expirées et les anciennes tentatives sont supprimées par murafiq retention purge.',
 '2026-01-01T00:00:00Z');

-- The wordings a person consents to, by version: a wording is never edited, a new text is a
-- new version.
CREATE TABLE consent_wording (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL UNIQUE CHECK (version >= 1),
    text_ar TEXT NOT NULL,
    text_fr TEXT NOT NULL,
    text_en TEXT NOT NULL,
    created_at TEXT NOT NULL
);

INSERT INTO consent_wording (version, text_ar, text_fr, text_en, created_at) VALUES (1,
 'أوافق على تسجيل معطياتي (الاسم، الجنس، تاريخ الازدياد، الهاتف، رقم البطاقة الوطنية للتعريف، العضوية في التعاونية) في نظام مرافق من طرف هيئة الدعم، من أجل تتبع برامج دعم التعاونيات، طبقا للقانون 09.08. ويمكنني الاطلاع عليها وتصحيحها، والتعرض على معالجتها، أو سحب موافقتي في أي وقت لدى الهيئة.',
 'J''accepte que mes données (nom, sexe, date de naissance, téléphone, numéro de CIN, appartenance à la coopérative) soient enregistrées dans murafiq par l''organisme d''appui, pour le suivi des programmes d''appui aux coopératives, conformément à la loi 09-08. Je peux y accéder, les faire rectifier, m''opposer à leur traitement ou retirer mon consentement à tout moment auprès de l''organisme.',
 'I agree that my data (name, sex, birth date, phone, national ID number, membership of the cooperative) be recorded in murafiq by the support body, to follow the cooperative support programs, under law 09-08. I may access them, have them corrected, object to their processing or withdraw my consent at any time with the body.',
 '2026-01-01T00:00:00Z');

-- A consent given by a person: when, to which wording, through which channel, collected by
-- whom (the logged-in user who recorded it); withdrawn_on once withdrawn.
CREATE TABLE consent (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    wording_id INTEGER NOT NULL REFERENCES consent_wording(id),
    given_on TEXT NOT NULL,           -- YYYY-MM-DD
    channel TEXT NOT NULL CHECK (channel IN ('paper', 'oral', 'digital')),
    collected_by INTEGER REFERENCES app_user(id),
    withdrawn_on TEXT,                -- YYYY-MM-DD, NULL while in force
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX consent_person ON consent(person_id, id);
CREATE INDEX consent_withdrawn ON consent(withdrawn_on) WHERE withdrawn_on IS NOT NULL;

-- The objection (opposition, law 09-08 art. 9) of a person: one row while it stands. An
-- objected person is left out of the non-essential lists and exports (docs/SECURITY.md).
CREATE TABLE person_objection (
    person_id INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    objected_on TEXT NOT NULL,        -- YYYY-MM-DD
    reason TEXT NOT NULL,
    recorded_by INTEGER REFERENCES app_user(id),
    recorded_at TEXT NOT NULL
);

-- When each membership ended (it is deleted from membership then): the retention of a person
-- without a current membership starts at the latest end. No foreign keys: the person row may
-- be going away in the same statement (a cascade); the purge deletes a person's rows.
CREATE TABLE membership_end (
    person_id INTEGER NOT NULL,
    cooperative_id INTEGER NOT NULL,
    role TEXT NOT NULL,
    ended_on TEXT NOT NULL            -- YYYY-MM-DD, local date
);
CREATE INDEX membership_end_person ON membership_end(person_id, ended_on);

CREATE TRIGGER membership_ended AFTER DELETE ON membership
WHEN EXISTS (SELECT 1 FROM person WHERE id = OLD.person_id)
BEGIN
    INSERT INTO membership_end (person_id, cooperative_id, role, ended_on)
    VALUES (OLD.person_id, OLD.cooperative_id, OLD.role, date('now', 'localtime'));
END;
