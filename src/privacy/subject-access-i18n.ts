/** The languages of the subject-access page: the hub's (Belgium: French, Dutch, German) and English. */
export const PAGE_LANGUAGES = ['en', 'fr', 'nl', 'de'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export interface PageText {
  readonly language: string;
  readonly title: string;
  readonly intro: string;
  readonly yourData: string;
  readonly noData: string;
  readonly fields: Readonly<Record<'name' | 'street' | 'postcode' | 'city' | 'country' | 'email' | 'phone', string>>;
  readonly parcels: string;
  readonly trackingNumber: string;
  readonly status: string;
  readonly flight: string;
  readonly received: string;
  readonly retainedUntil: string;
  readonly erasure: string;
  readonly erasureAllowed: string;
  /** GDPR Art. 17(3)(b): why and until when (a date) erasure is refused; `erasureHeld` follows while a parcel is held. */
  readonly erasureRefused: (until: string) => string;
  readonly erasureHeld: string;
  readonly purposes: string;
  readonly purpose: string;
  readonly legalBasis: string;
  readonly retention: string;
  readonly recipients: string;
  readonly noRecipients: string;
  readonly organisation: string;
  readonly role: string;
  readonly action: string;
  readonly time: string;
  readonly entries: string;
  readonly entriesIntro: string;
  readonly index: string;
  readonly decision: string;
  readonly proof: string;
  readonly verified: string;
  readonly pending: string;
  readonly failed: string;
  readonly unchecked: string;
  readonly rawProof: string;
  readonly checkpoint: string;
  readonly howToVerify: string;
  readonly startTitle: string;
  readonly startIntro: string;
  readonly postcode: string;
  readonly sendCode: string;
  readonly codeTitle: string;
  readonly codeIntro: string;
  readonly code: string;
  readonly showMyData: string;
  readonly error: string;
}

export const PAGE_TEXT: Readonly<Record<PageLanguage, PageText>> = {
  en: {
    language: 'English',
    title: 'Your data at the hub',
    intro: 'Under Article 15 of the GDPR: the personal data the hub holds about you, why, who received it, until when it is kept, and every record of its use in the public transparency log.',
    yourData: 'Your data',
    noData: 'No data could be opened.',
    fields: { name: 'Name', street: 'Street', postcode: 'Postcode', city: 'City', country: 'Country', email: 'E-mail', phone: 'Phone' },
    parcels: 'Your parcels',
    trackingNumber: 'Tracking number',
    status: 'Status',
    flight: 'Flight',
    received: 'Manifested',
    retainedUntil: 'Personal data kept until',
    erasure: 'Erasure of your data',
    erasureAllowed: 'You can ask for all of your data to be erased (GDPR Art. 17): POST /api/v1/subject-access/erasure with this session. Every organisation that received it is told.',
    erasureRefused: (until) =>
      `Customs law keeps your data until ${until}: a parcel of yours was held, seized or decided on by customs, and the Union Customs Code (Art. 51) requires its records to be kept for 3 years after the last customs act. Until then your data cannot be erased (GDPR Art. 17(3)(b)): a request is refused, and the refusal is recorded in the log.`,
    erasureHeld: 'A parcel is still held by customs: its decision will move this date later.',
    purposes: 'Purposes and legal bases',
    purpose: 'Purpose',
    legalBasis: 'Legal basis',
    retention: 'Retention',
    recipients: 'Recipients of your data',
    noRecipients: 'Nobody but you has received your data.',
    organisation: 'Organisation',
    role: 'Role',
    action: 'Action',
    time: 'Time (UTC)',
    entries: 'Every log entry about you',
    entriesIntro: 'Each entry is shown with its inclusion proof against the signed checkpoint below, checked by this server. You can check it yourself with the verifier of glasshub audit (verifyReceipts), trusting only the log’s public key.',
    index: 'Entry',
    decision: 'Decision',
    proof: 'Inclusion proof',
    verified: 'verified',
    pending: 'not yet in a checkpoint',
    failed: 'FAILED',
    unchecked: 'not checked',
    rawProof: 'Entry and proof (base64)',
    checkpoint: 'Signed checkpoint',
    howToVerify: 'The same report as JSON, with the receipts to verify: GET /api/v1/subject-access/report.',
    startTitle: 'See your data',
    startIntro: 'Enter the tracking number of one of your parcels and the postcode it was sent to. If they match, a one-time code is sent to the e-mail address on file.',
    postcode: 'Postcode',
    sendCode: 'Send me a code',
    codeTitle: 'Enter your code',
    codeIntro: 'If the tracking number and postcode matched, a six-digit code has been sent to the e-mail address on file. It is valid for 15 minutes.',
    code: 'Code',
    showMyData: 'Show my data',
    error: 'Something is not right',
  },
  fr: {
    language: 'Français',
    title: 'Vos données au hub',
    intro: 'En application de l’article 15 du RGPD : les données personnelles que le hub détient sur vous, pourquoi, qui les a reçues, jusqu’à quand elles sont conservées, et chaque trace de leur utilisation dans le journal public de transparence.',
    yourData: 'Vos données',
    noData: 'Aucune donnée n’a pu être ouverte.',
    fields: { name: 'Nom', street: 'Rue', postcode: 'Code postal', city: 'Localité', country: 'Pays', email: 'Courriel', phone: 'Téléphone' },
    parcels: 'Vos colis',
    trackingNumber: 'Numéro de suivi',
    status: 'Statut',
    flight: 'Vol',
    received: 'Déclaré',
    retainedUntil: 'Données personnelles conservées jusqu’au',
    erasure: 'Effacement de vos données',
    erasureAllowed: 'Vous pouvez demander l’effacement de toutes vos données (RGPD, art. 17) : POST /api/v1/subject-access/erasure avec cette session. Chaque organisation qui les a reçues en est informée.',
    erasureRefused: (until) =>
      `Le droit douanier impose de conserver vos données jusqu’au ${until} : un de vos colis a été retenu ou saisi par la douane, ou a fait l’objet d’une décision douanière, et le code des douanes de l’Union (art. 51) impose d’en conserver les documents 3 ans après le dernier acte douanier. D’ici là, vos données ne peuvent pas être effacées (RGPD, art. 17, § 3, b)) : une demande est refusée, et ce refus est inscrit au journal.`,
    erasureHeld: 'Un colis est encore retenu par la douane : sa décision reportera cette date.',
    purposes: 'Finalités et bases légales',
    purpose: 'Finalité',
    legalBasis: 'Base légale',
    retention: 'Conservation',
    recipients: 'Destinataires de vos données',
    noRecipients: 'Personne d’autre que vous n’a reçu vos données.',
    organisation: 'Organisation',
    role: 'Rôle',
    action: 'Action',
    time: 'Heure (UTC)',
    entries: 'Toutes les entrées du journal vous concernant',
    entriesIntro: 'Chaque entrée est accompagnée de sa preuve d’inclusion dans le point de contrôle signé ci-dessous, vérifiée par ce serveur. Vous pouvez la vérifier vous-même avec le vérificateur de glasshub audit (verifyReceipts), en ne faisant confiance qu’à la clé publique du journal.',
    index: 'Entrée',
    decision: 'Décision',
    proof: 'Preuve d’inclusion',
    verified: 'vérifiée',
    pending: 'pas encore dans un point de contrôle',
    failed: 'ÉCHEC',
    unchecked: 'non vérifiée',
    rawProof: 'Entrée et preuve (base64)',
    checkpoint: 'Point de contrôle signé',
    howToVerify: 'Le même rapport en JSON, avec les reçus à vérifier : GET /api/v1/subject-access/report.',
    startTitle: 'Consulter vos données',
    startIntro: 'Saisissez le numéro de suivi d’un de vos colis et le code postal de destination. S’ils correspondent, un code à usage unique est envoyé à l’adresse électronique enregistrée.',
    postcode: 'Code postal',
    sendCode: 'Envoyez-moi un code',
    codeTitle: 'Saisissez votre code',
    codeIntro: 'Si le numéro de suivi et le code postal correspondaient, un code à six chiffres a été envoyé à l’adresse électronique enregistrée. Il est valable 15 minutes.',
    code: 'Code',
    showMyData: 'Afficher mes données',
    error: 'Quelque chose ne va pas',
  },
  nl: {
    language: 'Nederlands',
    title: 'Uw gegevens bij de hub',
    intro: 'Op grond van artikel 15 van de AVG: de persoonsgegevens die de hub over u bewaart, waarom, wie ze ontving, tot wanneer ze worden bewaard, en elke registratie van hun gebruik in het openbare transparantielogboek.',
    yourData: 'Uw gegevens',
    noData: 'Er konden geen gegevens worden geopend.',
    fields: { name: 'Naam', street: 'Straat', postcode: 'Postcode', city: 'Plaats', country: 'Land', email: 'E-mail', phone: 'Telefoon' },
    parcels: 'Uw pakketten',
    trackingNumber: 'Trackingnummer',
    status: 'Status',
    flight: 'Vlucht',
    received: 'Aangemeld',
    retainedUntil: 'Persoonsgegevens bewaard tot',
    erasure: 'Wissing van uw gegevens',
    erasureAllowed: 'U kunt vragen al uw gegevens te wissen (AVG, art. 17): POST /api/v1/subject-access/erasure met deze sessie. Elke organisatie die ze ontving, wordt op de hoogte gebracht.',
    erasureRefused: (until) =>
      `De douanewetgeving verplicht de hub uw gegevens te bewaren tot ${until}: een pakket van u werd door de douane tegengehouden of in beslag genomen, of de douane nam erover een beslissing, en het douanewetboek van de Unie (art. 51) schrijft voor de documenten ervan 3 jaar na de laatste douanehandeling te bewaren. Tot dan kunnen uw gegevens niet worden gewist (AVG, art. 17, lid 3, b)): een verzoek wordt geweigerd, en die weigering wordt in het logboek vastgelegd.`,
    erasureHeld: 'Een pakket wordt nog door de douane tegengehouden: de beslissing daarover schuift deze datum op.',
    purposes: 'Doeleinden en rechtsgronden',
    purpose: 'Doel',
    legalBasis: 'Rechtsgrond',
    retention: 'Bewaring',
    recipients: 'Ontvangers van uw gegevens',
    noRecipients: 'Niemand behalve u heeft uw gegevens ontvangen.',
    organisation: 'Organisatie',
    role: 'Rol',
    action: 'Handeling',
    time: 'Tijd (UTC)',
    entries: 'Alle logboekregels over u',
    entriesIntro: 'Elke regel staat hier met zijn inclusiebewijs tegen het ondertekende controlepunt hieronder, gecontroleerd door deze server. U kunt het zelf controleren met de verificatie van glasshub audit (verifyReceipts), met alleen de publieke sleutel van het logboek.',
    index: 'Regel',
    decision: 'Beslissing',
    proof: 'Inclusiebewijs',
    verified: 'geverifieerd',
    pending: 'nog niet in een controlepunt',
    failed: 'MISLUKT',
    unchecked: 'niet gecontroleerd',
    rawProof: 'Regel en bewijs (base64)',
    checkpoint: 'Ondertekend controlepunt',
    howToVerify: 'Hetzelfde rapport als JSON, met de bewijzen om te controleren: GET /api/v1/subject-access/report.',
    startTitle: 'Uw gegevens inzien',
    startIntro: 'Vul het trackingnummer van een van uw pakketten en de postcode van bestemming in. Als ze overeenkomen, wordt een eenmalige code naar het bekende e-mailadres gestuurd.',
    postcode: 'Postcode',
    sendCode: 'Stuur mij een code',
    codeTitle: 'Vul uw code in',
    codeIntro: 'Als het trackingnummer en de postcode overeenkwamen, is een code van zes cijfers naar het bekende e-mailadres gestuurd. Hij is 15 minuten geldig.',
    code: 'Code',
    showMyData: 'Toon mijn gegevens',
    error: 'Er klopt iets niet',
  },
  de: {
    language: 'Deutsch',
    title: 'Ihre Daten beim Hub',
    intro: 'Nach Artikel 15 DSGVO: die personenbezogenen Daten, die der Hub über Sie speichert, wozu, wer sie erhalten hat, bis wann sie gespeichert bleiben, und jeder Eintrag über ihre Verwendung im öffentlichen Transparenzprotokoll.',
    yourData: 'Ihre Daten',
    noData: 'Es konnten keine Daten geöffnet werden.',
    fields: { name: 'Name', street: 'Straße', postcode: 'Postleitzahl', city: 'Ort', country: 'Land', email: 'E-Mail', phone: 'Telefon' },
    parcels: 'Ihre Sendungen',
    trackingNumber: 'Sendungsnummer',
    status: 'Status',
    flight: 'Flug',
    received: 'Angemeldet',
    retainedUntil: 'Personenbezogene Daten gespeichert bis',
    erasure: 'Löschung Ihrer Daten',
    erasureAllowed: 'Sie können die Löschung all Ihrer Daten verlangen (DSGVO Art. 17): POST /api/v1/subject-access/erasure mit dieser Sitzung. Jede Organisation, die sie erhalten hat, wird benachrichtigt.',
    erasureRefused: (until) =>
      `Das Zollrecht verlangt, Ihre Daten bis zum ${until} aufzubewahren: Eine Ihrer Sendungen wurde vom Zoll angehalten oder beschlagnahmt, oder der Zoll hat über sie entschieden, und der Zollkodex der Union (Art. 51) schreibt vor, ihre Unterlagen 3 Jahre nach der letzten zollrechtlichen Handlung aufzubewahren. Bis dahin können Ihre Daten nicht gelöscht werden (DSGVO Art. 17 Abs. 3 Buchst. b): Ein Antrag wird abgelehnt, und die Ablehnung wird im Protokoll festgehalten.`,
    erasureHeld: 'Eine Sendung ist noch vom Zoll angehalten: Die Entscheidung darüber verschiebt dieses Datum nach hinten.',
    purposes: 'Zwecke und Rechtsgrundlagen',
    purpose: 'Zweck',
    legalBasis: 'Rechtsgrundlage',
    retention: 'Speicherdauer',
    recipients: 'Empfänger Ihrer Daten',
    noRecipients: 'Niemand außer Ihnen hat Ihre Daten erhalten.',
    organisation: 'Organisation',
    role: 'Rolle',
    action: 'Vorgang',
    time: 'Zeit (UTC)',
    entries: 'Alle Protokolleinträge über Sie',
    entriesIntro: 'Jeder Eintrag steht hier mit seinem Inklusionsbeweis gegen den unten stehenden signierten Checkpoint, von diesem Server geprüft. Sie können ihn selbst mit dem Prüfer von glasshub audit (verifyReceipts) prüfen und vertrauen dabei nur dem öffentlichen Schlüssel des Protokolls.',
    index: 'Eintrag',
    decision: 'Entscheidung',
    proof: 'Inklusionsbeweis',
    verified: 'geprüft',
    pending: 'noch in keinem Checkpoint',
    failed: 'FEHLGESCHLAGEN',
    unchecked: 'nicht geprüft',
    rawProof: 'Eintrag und Beweis (Base64)',
    checkpoint: 'Signierter Checkpoint',
    howToVerify: 'Derselbe Bericht als JSON, mit den Belegen zum Prüfen: GET /api/v1/subject-access/report.',
    startTitle: 'Ihre Daten einsehen',
    startIntro: 'Geben Sie die Sendungsnummer einer Ihrer Sendungen und die Postleitzahl des Empfängers ein. Stimmen beide, wird ein Einmalcode an die hinterlegte E-Mail-Adresse gesendet.',
    postcode: 'Postleitzahl',
    sendCode: 'Code senden',
    codeTitle: 'Code eingeben',
    codeIntro: 'Wenn Sendungsnummer und Postleitzahl stimmten, wurde ein sechsstelliger Code an die hinterlegte E-Mail-Adresse gesendet. Er ist 15 Minuten gültig.',
    code: 'Code',
    showMyData: 'Meine Daten anzeigen',
    error: 'Etwas stimmt nicht',
  },
};

/** `?lang=` wins when it names a page language; otherwise the best of Accept-Language (q-values honoured); else English. */
export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): PageLanguage {
  const known = (tag: string): PageLanguage | undefined => {
    const primary = tag.trim().toLowerCase().split('-')[0];
    return PAGE_LANGUAGES.find((l) => l === primary);
  };
  const asked = query === undefined ? undefined : known(query);
  if (asked) return asked;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: known(tag), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((c): c is { lang: PageLanguage; q: number; i: number } => c.lang !== undefined && c.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.lang ?? 'en';
}
