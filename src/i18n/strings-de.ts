/**
 * The German texts of the countdown and the card: a chunk of its own, loaded by `loadStrings('de')`.
 * It imports nothing (not even the `Strings` type: that would be an import cycle with strings.ts, which
 * loads it); strings.ts types the import as a complete `Strings`, so a missing text does not compile.
 */
const de = {
  countdownLabel: 'Drop startet in',
  days: 'Tage',
  hours: 'Std',
  minutes: 'Min',
  seconds: 'Sek',
  liveNow: 'Jetzt live',
  startsIn: 'Der Drop startet {in}.',
  startedAnnouncement: 'Der Drop ist jetzt live.',
  loading: 'Wird geladen…',
  errorTitle: 'Etwas ist schiefgelaufen',
  retry: 'Erneut versuchen',
  networkError: 'Der Shop ist nicht erreichbar. Prüfe deine Verbindung und versuche es erneut.',
  protocolError: 'Der Shop hat eine unlesbare Antwort geschickt.',
  notFound: 'Dieser Drop wurde nicht gefunden.',
  productNotFound: 'Dieses Produkt gehört nicht zu diesem Drop.',
  configError: 'Dieses Element ist noch nicht eingerichtet.',
  size: 'Größe',
  chooseSize: 'Wählen',
  sizeLeft: '{size}, noch {n}',
  sizeNote: '{size}, {note}',
  inStock: 'Verfügbar',
  onlyLeft: 'Nur noch {n}',
  soldOut: 'Ausverkauft',
  locked: 'Verfügbar ab {time}',
  ended: 'Dieser Drop ist vorbei',
  reserve: 'Reservieren',
  reserving: 'Wird reserviert…',
  reserved: 'Für dich reserviert',
  heldFor: 'Noch {time} reserviert',
  holdHint: 'Schließe den Kauf ab, bevor die Zeit abläuft.',
  cancel: 'Freigeben',
  checkout: 'Zur Kasse',
  expired: 'Deine Reservierung ist abgelaufen',
  expiredHint: 'Der Artikel ist wieder im Verkauf.',
  reserveAgain: 'Erneut reservieren',
  limitExceeded: 'Du hältst schon die Höchstmenge dieses Artikels.',
  justSoldOut: 'Gerade in dieser Größe ausverkauft.',
  notStarted: 'Der Drop hat noch nicht begonnen.',
  reserveFailed: 'Reservieren hat nicht geklappt. Bitte versuche es erneut.',
  tooManyTries: 'Zu viele Versuche, bitte warte einen Moment.',
};

export default de;
