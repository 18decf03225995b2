<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ro" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Floor annotation workstation</source>
        <translation>Stația de adnotare a sălii de lucru</translation>
    </message>
    <message>
        <source>About {product}</source>
        <translation>Despre {product}</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>Versiunea {version}</translation>
    </message>
    <message>
        <source>Floor hub: asking for its version…</source>
        <translation>Hubul sălii: se cere versiunea…</translation>
    </message>
    <message>
        <source>Floor hub: not connected</source>
        <translation>Hubul sălii: neconectat</translation>
    </message>
    <message>
        <source>Language: {language}</source>
        <translation>Limba: {language}</translation>
    </message>
    <message>
        <source>Clips play only from this PC&apos;s encrypted cache; only labels travel to the floor hub.</source>
        <translation>Clipurile rulează doar din memoria cache criptată a acestui PC; la hubul sălii ajung doar etichetele.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Închide</translation>
    </message>
    <message>
        <source>Floor hub: version {version}</source>
        <translation>Hubul sălii: versiunea {version}</translation>
    </message>
    <message>
        <source>Floor hub: its version is not known</source>
        <translation>Hubul sălii: versiune necunoscută</translation>
    </message>
    <message>
        <source>Floor hub: not reachable now</source>
        <translation>Hubul sălii: indisponibil acum</translation>
    </message>
</context>
<context>
    <name>AppFlow</name>
    <message>
        <source>Screen capture can no longer be blocked on this seat, and the machine policy requires it.

{detail}

The clip stays hidden until protection is back; tell IT.</source>
        <translation>Capturarea ecranului nu mai poate fi blocată pe acest post, iar politica calculatorului o cere.

{detail}

Clipul rămâne ascuns până revine protecția; anunțați IT-ul.</translation>
    </message>
    <message>
        <source>Preparing your shift…</source>
        <translation>Se pregătește tura dvs.…</translation>
    </message>
    <message>
        <source>The hub cannot be reached: you go on offline. Your decisions are kept here and reach the hub after your next sign-in with it.</source>
        <translation>Hubul nu poate fi contactat: continuați offline. Deciziile dvs. se păstrează aici și ajung la hub după următoarea conectare cu el.</translation>
    </message>
    <message>
        <source>This seat&apos;s audit log was altered after it was written (event {event}). That is on record; tell IT.</source>
        <translation>Jurnalul de audit al acestui post a fost modificat după ce a fost scris (evenimentul {event}). Faptul este înregistrat; anunțați IT-ul.</translation>
    </message>
    <message>
        <source>This shift ran longer than the machine policy allows ({hours} h), so its clips were removed from this PC. Your decisions are kept; sign in again to go on with a fresh key.</source>
        <translation>Această tură a durat mai mult decât permite politica calculatorului ({hours} h), așa că clipurile ei au fost șterse de pe acest PC. Deciziile dvs. se păstrează; conectați-vă din nou pentru a continua cu o cheie nouă.</translation>
    </message>
    <message>
        <source>The new keys work now but could not be saved ({why}).</source>
        <translation>Noile taste funcționează acum, dar nu au putut fi salvate ({why}).</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(necunoscut)</translation>
    </message>
</context>
<context>
    <name>AudioOutput</name>
    <message>
        <source>the system lists no audio output</source>
        <translation>sistemul nu are nicio ieșire audio</translation>
    </message>
    <message>
        <source>the audio output would not open</source>
        <translation>ieșirea audio nu a putut fi deschisă</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>Comment on this clip</source>
        <translation>Comentariu la acest clip</translation>
    </message>
    <message>
        <source>Your note goes to the hub with this clip&apos;s decision.</source>
        <translation>Nota dvs. ajunge la hub împreună cu decizia pentru acest clip.</translation>
    </message>
    <message>
        <source>What should a supervisor know about this clip?</source>
        <translation>Ce ar trebui să știe un supervizor despre acest clip?</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Annotator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day / shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours with the clip window in front and the annotator engaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips / active h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median / clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median active seconds per clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p90 / clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90th percentile of active seconds per clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of each clip&apos;s length actually played</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faster than ½ clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions made in less than half the clip&apos;s length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flagged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of gold clips (known answers) decided right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Implausible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions whose timings cannot be right; left out of the times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decided (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Right?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips both decided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohen&apos;s κ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flagged by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 14 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per work period</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardController</name>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The figures could not be loaded ({why}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look at: {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody stands out in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The floor: {clips} clips · {rate} clips per active hour · median {median} per clip · gold accuracy {gold}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips decided per hour, the whole floor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over {clips} clips decided by more than one annotator: Fleiss&apos; κ {fleiss}, Krippendorff&apos;s α {alpha}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disposals ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disposals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>broken at event {event}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every seat&apos;s audit chain verifies.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A seat&apos;s audit chain does not verify: its log was changed after it was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figures for {since} – {until}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This hub keeps no consent record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{held} clips held, {without} naming no consent. Due for erasure in the next 7 days: {due} ({overdue} already past their deadline). Erased in the last 7 days: {flag} flagged, {withdrawal} by withdrawn consent, {retention} at the end of retention; {refs} consents withdrawn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{who}: %n decisions, {since} – {until} (labels and timings, never video).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Clip {clip}: disposed of.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip {clip}: returned to the pool.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CSV could not be saved ({why}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Saved %n rows to {path}.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Export the table as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardWindow</name>
    <message>
        <source>Floor dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take a shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Deconectare</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Annotators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click an annotator to see their clips (labels and timings, never video).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips of one annotator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (kept with the decision, no clip content)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm disposal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return to the pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips annotators flagged as sensitive. Confirming destroys the clip on the hub for good; returning puts it back in the pool.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disposals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a request that is still pending first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Decisions</name>
    <message>
        <source>Clip {number} → flagged sensitive; it is gone from this PC</source>
        <translation>Clipul {number} → marcat ca sensibil; a fost șters de pe acest PC</translation>
    </message>
    <message>
        <source>Clip {number} → skipped ({reason}) · {key} undoes</source>
        <translation>Clipul {number} → omis ({reason}) · {key} anulează</translation>
    </message>
    <message>
        <source>Clip {number} → {label} · {key} undoes</source>
        <translation>Clipul {number} → {label} · {key} anulează</translation>
    </message>
    <message>
        <source>Skip this clip</source>
        <translation>Omiteți acest clip</translation>
    </message>
    <message>
        <source>Why skip this clip?</source>
        <translation>De ce omiteți acest clip?</translation>
    </message>
    <message>
        <source>This clip is closed.

Choose why it must be disposed of.</source>
        <translation>Acest clip este închis.

Alegeți de ce trebuie eliminat.</translation>
    </message>
    <message>
        <source>Flag sensitive — dispose</source>
        <translation>Marcați ca sensibil — de eliminat</translation>
    </message>
    <message>
        <source>Why must this clip be disposed of? It is removed from this PC at once and a supervisor confirms the disposal.</source>
        <translation>De ce trebuie eliminat acest clip? Este șters imediat de pe acest PC, iar un supervizor confirmă eliminarea.</translation>
    </message>
    <message>
        <source>Back to clip {number} — it was “{label}”; choose again</source>
        <translation>Înapoi la clipul {number} — era „{label}”; alegeți din nou</translation>
    </message>
    <message>
        <source>Back to clip {number} — it was skipped; choose again</source>
        <translation>Înapoi la clipul {number} — fusese omis; alegeți din nou</translation>
    </message>
    <message>
        <source>The clip you were on was withdrawn from the floor; it is gone from this PC.</source>
        <translation>Clipul la care lucrați a fost retras; a fost șters de pe acest PC.</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>Floor annotation — demo</source>
        <translation>Adnotare — demonstrație</translation>
    </message>
    <message>
        <source>Preparing the demo</source>
        <translation>Se pregătește demonstrația</translation>
    </message>
    <message>
        <source>Making the first synthetic camera clips…</source>
        <translation>Se creează primele clipuri sintetice de cameră…</translation>
    </message>
    <message>
        <source>Writing three weeks of a floor&apos;s work for the supervisor&apos;s figures (once)…</source>
        <translation>Se scriu trei săptămâni de lucru ale unei săli pentru cifrele supervizorului (o singură dată)…</translation>
    </message>
    <message>
        <source>Making synthetic camera clips: {done} of {total} ready. The first ones play as soon as they are made; the rest follow while you work.</source>
        <translation>Se creează clipuri sintetice de cameră: {done} din {total} gata. Primele rulează de îndată ce sunt create; restul urmează în timp ce lucrați.</translation>
    </message>
    <message>
        <source>Starting the demo&apos;s floor hub and this seat…</source>
        <translation>Se pornesc hubul demonstrației și acest post…</translation>
    </message>
    <message>
        <source>The demo could not start</source>
        <translation>Demonstrația nu a putut porni</translation>
    </message>
</context>
<context>
    <name>Domain</name>
    <message>
        <source>This shift is {owner}&apos;s; {user} cannot decide on it.</source>
        <translation>Această tură aparține utilizatorului {owner}; {user} nu poate decide în ea.</translation>
    </message>
    <message>
        <source>The shift is complete; nothing more can be decided on it.</source>
        <translation>Tura este încheiată; nu se mai poate decide nimic în ea.</translation>
    </message>
    <message>
        <source>This shift is {owner}&apos;s.</source>
        <translation>Această tură aparține utilizatorului {owner}.</translation>
    </message>
    <message>
        <source>That clip is not part of this shift.</source>
        <translation>Acel clip nu face parte din această tură.</translation>
    </message>
    <message>
        <source>The shift is complete and its clips are gone from this PC; nothing can be undone now.</source>
        <translation>Tura este încheiată și clipurile ei au fost șterse de pe acest PC; nu se mai poate anula nimic.</translation>
    </message>
    <message>
        <source>A flagged clip was removed from this PC; it cannot be reopened.</source>
        <translation>Un clip marcat a fost șters de pe acest PC; nu mai poate fi redeschis.</translation>
    </message>
    <message>
        <source>Nothing to undo in this shift.</source>
        <translation>Nu este nimic de anulat în această tură.</translation>
    </message>
    <message>
        <source>That clip is no longer part of this shift.</source>
        <translation>Acel clip nu mai face parte din această tură.</translation>
    </message>
    <message>
        <source>The flagged clip could not be removed from this PC ({why}); tell IT.</source>
        <translation>Clipul marcat nu a putut fi șters de pe acest PC ({why}); anunțați IT-ul.</translation>
    </message>
    <message>
        <source>The flagged clip stays closed; the decision before it was undone.</source>
        <translation>Clipul marcat rămâne închis; a fost anulată decizia dinaintea lui.</translation>
    </message>
    <message>
        <source>Sign in again to take a shift.</source>
        <translation>Conectați-vă din nou pentru a lua o tură.</translation>
    </message>
    <message>
        <source>There is no shift on this PC that can go on without the hub.</source>
        <translation>Pe acest PC nu există nicio tură care să poată continua fără hub.</translation>
    </message>
    <message>
        <source>Sign in once the hub answers again.</source>
        <translation>Conectați-vă după ce hubul răspunde din nou.</translation>
    </message>
    <message>
        <source>This PC holds {owner}&apos;s shift: only {owner} can go on with it offline, with their own password.</source>
        <translation>Pe acest PC se află tura utilizatorului {owner}: doar {owner} o poate continua offline, cu propria parolă.</translation>
    </message>
    <message>
        <source>Too many wrong passwords: try again in {wait}.</source>
        <translation>Prea multe parole greșite: încercați din nou peste {wait}.</translation>
    </message>
    <message>
        <source>This shift cannot go on offline: this PC has no way to check the password.</source>
        <translation>Această tură nu poate continua offline: acest PC nu are cum să verifice parola.</translation>
    </message>
    <message>
        <source>That is not {owner}&apos;s password. Try again in {wait}.</source>
        <translation>Aceasta nu este parola utilizatorului {owner}. Încercați din nou peste {wait}.</translation>
    </message>
    <message>
        <source>That is not {owner}&apos;s password ({n} more tries before a wait).</source>
        <translation>Aceasta nu este parola utilizatorului {owner} (încercări rămase până la o pauză: {n}).</translation>
    </message>
    <message>
        <source>“{action}” needs a key.</source>
        <translation>„{action}” are nevoie de o tastă.</translation>
    </message>
    <message>
        <source>The key {key} is kept for labels 1–9.</source>
        <translation>Tasta {key} este rezervată etichetelor 1–9.</translation>
    </message>
    <message>
        <source>Choose another key.</source>
        <translation>Alegeți altă tastă.</translation>
    </message>
    <message>
        <source>The key {key} is already used for “{action}”.</source>
        <translation>Tasta {key} este deja folosită pentru „{action}”.</translation>
    </message>
    <message>
        <source>Give that action another key first.</source>
        <translation>Dați mai întâi altă tastă acelei acțiuni.</translation>
    </message>
    <message>
        <source>This shift&apos;s key is gone from the key store, so its clips cannot be opened.</source>
        <translation>Cheia acestei ture nu mai este în depozitul de chei, așa că clipurile ei nu pot fi deschise.</translation>
    </message>
    <message>
        <source>Sign in again to fetch the shift anew; your labels are kept.</source>
        <translation>Conectați-vă din nou pentru a descărca tura din nou; etichetele dvs. se păstrează.</translation>
    </message>
    <message>
        <source>Sign in again.</source>
        <translation>Conectați-vă din nou.</translation>
    </message>
    <message>
        <source>This PC&apos;s label store was damaged, so it was set aside for IT ({file}) and the app started with a clean one; decisions that had not reached the hub may be in it, so tell IT.</source>
        <translation>Baza de etichete a acestui PC era deteriorată, așa că a fost pusă deoparte pentru IT ({file}), iar aplicația a pornit cu una curată; în ea pot fi decizii care nu ajunseseră la hub, deci anunțați IT-ul.</translation>
    </message>
    <message>
        <source>Clips cannot play on this seat</source>
        <translation>Clipurile nu pot rula pe acest post</translation>
    </message>
    <message>
        <source>The user name or password is not correct.</source>
        <translation>Numele de utilizator sau parola nu sunt corecte.</translation>
    </message>
    <message>
        <source>This account is disabled.</source>
        <translation>Acest cont este dezactivat.</translation>
    </message>
    <message>
        <source>This workstation was revoked by IT and may no longer use the floor hub.</source>
        <translation>IT-ul a revocat această stație; ea nu mai poate folosi hubul sălii.</translation>
    </message>
    <message>
        <source>This workstation is still waiting for IT to approve it.</source>
        <translation>Această stație încă așteaptă aprobarea IT-ului.</translation>
    </message>
    <message>
        <source>This workstation is not enrolled with the floor hub.</source>
        <translation>Această stație nu este înregistrată la hubul sălii.</translation>
    </message>
    <message>
        <source>This workstation is not approved to use the floor hub.</source>
        <translation>Această stație nu este aprobată să folosească hubul sălii.</translation>
    </message>
    <message>
        <source>This session is unknown or has ended.</source>
        <translation>Această sesiune este necunoscută sau s-a încheiat.</translation>
    </message>
    <message>
        <source>This session has expired.</source>
        <translation>Această sesiune a expirat.</translation>
    </message>
    <message>
        <source>No clips are waiting to be labeled.</source>
        <translation>Nu există clipuri care să aștepte etichetarea.</translation>
    </message>
    <message>
        <source>Ask IT about this workstation&apos;s access to the floor hub.</source>
        <translation>Întrebați IT-ul despre accesul acestei stații la hubul sălii.</translation>
    </message>
    <message>
        <source>Wait, then sign in again; ask a supervisor if you have forgotten the password.</source>
        <translation>Așteptați, apoi conectați-vă din nou; cereți ajutorul unui supervizor dacă ați uitat parola.</translation>
    </message>
    <message>
        <source>It is retried automatically; labeling goes on meanwhile.</source>
        <translation>Se reîncearcă automat; între timp puteți eticheta în continuare.</translation>
    </message>
    <message>
        <source>Tell IT or a supervisor if this keeps happening.</source>
        <translation>Anunțați IT-ul sau un supervizor dacă se tot întâmplă.</translation>
    </message>
</context>
<context>
    <name>DownloadPage</name>
    <message>
        <source>Preparing your shift</source>
        <translation>Se pregătește tura dvs.</translation>
    </message>
    <message>
        <source>Asking the hub for clips…</source>
        <translation>Se cer clipuri de la hub…</translation>
    </message>
    <message>
        <source>Clips arrive encrypted and stay encrypted on this PC.</source>
        <translation>Clipurile sosesc criptate și rămân criptate pe acest PC.</translation>
    </message>
    <message>
        <source>Downloading clip {clip} of {clips} · {done} of {size} MB</source>
        <translation>Se descarcă clipul {clip} din {clips} · {done} din {size} MB</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <source>Keys</source>
        <translation>Taste</translation>
    </message>
    <message>
        <source>Any key closes this. Enter: change keys. F1: about this app.</source>
        <translation>Orice tastă închide această pagină. Enter: schimbați tastele. F1: despre aplicație.</translation>
    </message>
    <message>
        <source>About…</source>
        <translation>Despre…</translation>
    </message>
    <message>
        <source>Change keys…</source>
        <translation>Schimbați tastele…</translation>
    </message>
</context>
<context>
    <name>ItDetails</name>
    <message>
        <source>IT details</source>
        <translation>Detalii pentru IT</translation>
    </message>
</context>
<context>
    <name>KeyInput</name>
    <message>
        <source>The clip just started — watch it a moment, then press again.</source>
        <translation>Clipul abia a început — urmăriți-l o clipă, apoi apăsați din nou.</translation>
    </message>
</context>
<context>
    <name>KeymapDialog</name>
    <message>
        <source>Keys</source>
        <translation>Taste</translation>
    </message>
    <message>
        <source>Click a key field and press the new key. Labels stay on 1–9.</source>
        <translation>Faceți clic pe un câmp și apăsați noua tastă. Etichetele rămân pe 1–9.</translation>
    </message>
    <message>
        <source>Back to the defaults</source>
        <translation>Înapoi la valorile implicite</translation>
    </message>
    <message>
        <source>The key {key} is set for both “{first}” and “{second}”. Give one of them another key.</source>
        <translation>Tasta {key} este setată atât pentru „{first}”, cât și pentru „{second}”. Dați uneia dintre ele altă tastă.</translation>
    </message>
</context>
<context>
    <name>Keys</name>
    <message>
        <source>Decide</source>
        <translation>Decizie</translation>
    </message>
    <message>
        <source>Playback</source>
        <translation>Redare</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Sunet</translation>
    </message>
    <message>
        <source>Night view</source>
        <translation>Vedere de noapte</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Ajutor</translation>
    </message>
    <message>
        <source>Play / pause</source>
        <translation>Redare / pauză</translation>
    </message>
    <message>
        <source>One frame back</source>
        <translation>Un cadru înapoi</translation>
    </message>
    <message>
        <source>One frame forward</source>
        <translation>Un cadru înainte</translation>
    </message>
    <message>
        <source>Back 2 seconds</source>
        <translation>Înapoi 2 secunde</translation>
    </message>
    <message>
        <source>Forward 2 seconds</source>
        <translation>Înainte 2 secunde</translation>
    </message>
    <message>
        <source>Slower</source>
        <translation>Mai încet</translation>
    </message>
    <message>
        <source>Faster</source>
        <translation>Mai repede</translation>
    </message>
    <message>
        <source>Replay from the start</source>
        <translation>Redare de la început</translation>
    </message>
    <message>
        <source>Volume down</source>
        <translation>Volum mai mic</translation>
    </message>
    <message>
        <source>Volume up</source>
        <translation>Volum mai mare</translation>
    </message>
    <message>
        <source>Mute / unmute</source>
        <translation>Sunet oprit / pornit</translation>
    </message>
    <message>
        <source>Undo last decision (returns to that clip)</source>
        <translation>Anulează ultima decizie (revine la acel clip)</translation>
    </message>
    <message>
        <source>Skip with a reason</source>
        <translation>Omite, cu un motiv</translation>
    </message>
    <message>
        <source>Flag sensitive — dispose</source>
        <translation>Marchează ca sensibil — de eliminat</translation>
    </message>
    <message>
        <source>Comment on this clip</source>
        <translation>Comentariu la acest clip</translation>
    </message>
    <message>
        <source>Brighter</source>
        <translation>Mai luminos</translation>
    </message>
    <message>
        <source>Darker</source>
        <translation>Mai întunecat</translation>
    </message>
    <message>
        <source>More contrast</source>
        <translation>Mai mult contrast</translation>
    </message>
    <message>
        <source>Less contrast</source>
        <translation>Mai puțin contrast</translation>
    </message>
    <message>
        <source>Lift shadows (gamma)</source>
        <translation>Luminează umbrele (gamma)</translation>
    </message>
    <message>
        <source>Deepen shadows (gamma)</source>
        <translation>Adâncește umbrele (gamma)</translation>
    </message>
    <message>
        <source>Local contrast (CLAHE) on / off</source>
        <translation>Contrast local (CLAHE) pornit / oprit</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Mărire</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Micșorare</translation>
    </message>
    <message>
        <source>Reset the view</source>
        <translation>Resetează vederea</translation>
    </message>
    <message>
        <source>Hold to reveal a blurred clip</source>
        <translation>Țineți apăsat pentru a vedea un clip estompat</translation>
    </message>
    <message>
        <source>Show these keys</source>
        <translation>Arată aceste taste</translation>
    </message>
</context>
<context>
    <name>LabelPanel</name>
    <message>
        <source>Press {key}</source>
        <translation>Apăsați {key}</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Locked</source>
        <translation>Blocat</translation>
    </message>
    <message>
        <source>your password</source>
        <translation>parola dvs.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Deblocare</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Deconectare</translation>
    </message>
    <message>
        <source>Too many wrong passwords. Try again in {wait}.</source>
        <translation>Prea multe parole greșite. Încercați din nou peste {wait}.</translation>
    </message>
    <message>
        <source>You can try your password again now.</source>
        <translation>Acum puteți încerca din nou parola.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Floor annotation</source>
        <translation>Adnotare</translation>
    </message>
    <message>
        <source>frame {index} / {count}</source>
        <translation>cadrul {index} / {count}</translation>
    </message>
    <message>
        <source>Clip {number} of {total}</source>
        <translation>Clipul {number} din {total}</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>comentariu</translation>
    </message>
    <message>
        <source>playing</source>
        <translation>rulează</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pauză</translation>
    </message>
    <message>
        <source>end of clip  ({key} replays)</source>
        <translation>sfârșitul clipului  ({key} îl reia)</translation>
    </message>
    <message>
        <source>Close the shift?</source>
        <translation>Închideți tura?</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Închide</translation>
    </message>
    <message>
        <source>Keep working</source>
        <translation>Continuați lucrul</translation>
    </message>
</context>
<context>
    <name>NightView</name>
    <message>
        <source>bright {value}</source>
        <translation>luminozitate {value}</translation>
    </message>
    <message>
        <source>contrast {value}</source>
        <translation>contrast {value}</translation>
    </message>
    <message>
        <source>zoom {value}×</source>
        <translation>zoom {value}×</translation>
    </message>
</context>
<context>
    <name>ProblemPage</name>
    <message>
        <source>The shift cannot start</source>
        <translation>Tura nu poate începe</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>Save</source>
        <translation>Salvează</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anulează</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Închide</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Press the number of the reason (1–{last}). Esc cancels.</source>
        <translation>Apăsați numărul motivului (1–{last}). Esc anulează.</translation>
    </message>
</context>
<context>
    <name>ShiftController</name>
    <message>
        <source>Opening the clip…</source>
        <translation>Se deschide clipul…</translation>
    </message>
    <message>
        <source>The clip could not be opened ({why}).</source>
        <translation>Clipul nu a putut fi deschis ({why}).</translation>
    </message>
    <message>
        <source>This clip cannot be played.

{why}

Press {key} to skip it (reason: clip does not play).</source>
        <translation>Acest clip nu poate fi redat.

{why}

Apăsați {key} pentru a-l omite (motiv: clipul nu rulează).</translation>
    </message>
    <message>
        <source>No sound on this PC: {why}.</source>
        <translation>Acest PC nu are sunet: {why}.</translation>
    </message>
    <message>
        <source>No sound on this PC.</source>
        <translation>Acest PC nu are sunet.</translation>
    </message>
    <message>
        <source>This clip has no sound.</source>
        <translation>Acest clip nu are sunet.</translation>
    </message>
    <message>
        <source>Sound muted</source>
        <translation>Sunet oprit</translation>
    </message>
    <message>
        <source>Volume {percent} %</source>
        <translation>Volum {percent} %</translation>
    </message>
    <message>
        <source>blurred — hold {key} to reveal</source>
        <translation>estompat — țineți apăsat {key} pentru a-l vedea</translation>
    </message>
    <message>
        <source>stopped at {seconds} s</source>
        <translation>oprit la {seconds} s</translation>
    </message>
    <message>
        <source>This clip cannot be played past {seconds} s: {why}  Press {key} to skip it (reason: clip does not play).</source>
        <translation>Acest clip nu poate fi redat după {seconds} s: {why}  Apăsați {key} pentru a-l omite (motiv: clipul nu rulează).</translation>
    </message>
    <message numerus="yes">
        <source>You have worked %n minutes without a break. Stand up, look away from the screen for a few minutes. The clip is paused; any key goes on.</source>
        <translation>
            <numerusform>Ați lucrat %n minut fără pauză. Ridicați-vă și priviți câteva minute departe de ecran. Clipul este pe pauză; orice tastă continuă.</numerusform>
            <numerusform>Ați lucrat %n minute fără pauză. Ridicați-vă și priviți câteva minute departe de ecran. Clipul este pe pauză; orice tastă continuă.</numerusform>
            <numerusform>Ați lucrat %n de minute fără pauză. Ridicați-vă și priviți câteva minute departe de ecran. Clipul este pe pauză; orice tastă continuă.</numerusform>
        </translation>
    </message>
    <message>
        <source>Shift complete</source>
        <translation>Tură încheiată</translation>
    </message>
    <message numerus="yes">
        <source>%n clips are left in this shift. Close anyway? Your decisions are kept, and the shift goes on where you left it at your next sign-in.</source>
        <translation>
            <numerusform>A mai rămas %n clip în această tură. Închideți oricum? Deciziile dvs. se păstrează, iar tura continuă de unde ați rămas la următoarea conectare.</numerusform>
            <numerusform>Au mai rămas %n clipuri în această tură. Închideți oricum? Deciziile dvs. se păstrează, iar tura continuă de unde ați rămas la următoarea conectare.</numerusform>
            <numerusform>Au mai rămas %n de clipuri în această tură. Închideți oricum? Deciziile dvs. se păstrează, iar tura continuă de unde ați rămas la următoarea conectare.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftGuard</name>
    <message>
        <source>Paused — the computer is locked.

Press {key} to go on.</source>
        <translation>Pauză — calculatorul este blocat.

Apăsați {key} pentru a continua.</translation>
    </message>
    <message>
        <source>Paused — the window is minimised.

Press {key} to go on.</source>
        <translation>Pauză — fereastra este minimizată.

Apăsați {key} pentru a continua.</translation>
    </message>
    <message>
        <source>Paused — the window is not in front.

Press {key} to go on.</source>
        <translation>Pauză — fereastra nu este în prim-plan.

Apăsați {key} pentru a continua.</translation>
    </message>
    <message>
        <source>Locked.</source>
        <translation>Blocat.</translation>
    </message>
    <message numerus="yes">
        <source>The shift locked after %n minutes without input.</source>
        <translation>
            <numerusform>Tura s-a blocat după %n minut de inactivitate.</numerusform>
            <numerusform>Tura s-a blocat după %n minute de inactivitate.</numerusform>
            <numerusform>Tura s-a blocat după %n de minute de inactivitate.</numerusform>
        </translation>
    </message>
    <message>
        <source>The shift locked after a while without input.</source>
        <translation>Tura s-a blocat după o perioadă de inactivitate.</translation>
    </message>
    <message>
        <source>Signed in as {name}</source>
        <translation>Conectat ca {name}</translation>
    </message>
    <message>
        <source>Type {name}&apos;s password to go on.</source>
        <translation>Introduceți parola utilizatorului {name} pentru a continua.</translation>
    </message>
    <message>
        <source>This shift went on offline without a password check, so it cannot be unlocked here: sign out, then sign in again.</source>
        <translation>Această tură a continuat offline fără verificarea parolei, așa că nu poate fi deblocată aici: deconectați-vă, apoi conectați-vă din nou.</translation>
    </message>
    <message numerus="yes">
        <source>That is not {name}&apos;s password — %n more tries before a wait of {wait}.</source>
        <translation>
            <numerusform>Aceasta nu este parola utilizatorului {name} — mai aveți %n încercare înainte de o pauză de {wait}.</numerusform>
            <numerusform>Aceasta nu este parola utilizatorului {name} — mai aveți %n încercări înainte de o pauză de {wait}.</numerusform>
            <numerusform>Aceasta nu este parola utilizatorului {name} — mai aveți %n de încercări înainte de o pauză de {wait}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftStatusBar</name>
    <message>
        <source>Capture: not blocked</source>
        <translation>Captură: neblocată</translation>
    </message>
    <message>
        <source>Capture: protected</source>
        <translation>Captură: protejată</translation>
    </message>
    <message>
        <source>Capture: degraded</source>
        <translation>Captură: parțial protejată</translation>
    </message>
    <message>
        <source>Shift {time}</source>
        <translation>Tură {time}</translation>
    </message>
    <message>
        <source>Keys: memory only</source>
        <translation>Chei: doar în memorie</translation>
    </message>
    <message>
        <source>Machine policy: shift keys live in process memory only; after a crash the shift is fetched again.</source>
        <translation>Politica calculatorului: cheile turei sunt ținute doar în memoria procesului; după o cădere, tura se descarcă din nou.</translation>
    </message>
    <message>
        <source>Keys: OS keyring</source>
        <translation>Chei: portcheiul sistemului</translation>
    </message>
    <message>
        <source>Shift keys are held by the operating system&apos;s keyring.</source>
        <translation>Cheile turei sunt păstrate în portcheiul sistemului de operare.</translation>
    </message>
    <message>
        <source>Capture: {state}</source>
        <translation>Captură: {state}</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>se conectează</translation>
    </message>
    <message>
        <source>online</source>
        <translation>conectat</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>deconectat</translation>
    </message>
    <message>
        <source>The hub cannot be reached; labels are kept and sent later.</source>
        <translation>Hubul nu poate fi contactat; etichetele se păstrează și se trimit mai târziu.</translation>
    </message>
    <message numerus="yes">
        <source>%n refused by the hub</source>
        <translation>
            <numerusform>%n decizie refuzată de hub</numerusform>
            <numerusform>%n decizii refuzate de hub</numerusform>
            <numerusform>%n de decizii refuzate de hub</numerusform>
        </translation>
    </message>
    <message>
        <source>The hub refused these decisions; they are kept on this PC. Tell a supervisor.</source>
        <translation>Hubul a refuzat aceste decizii; ele se păstrează pe acest PC. Anunțați un supervizor.</translation>
    </message>
    <message numerus="yes">
        <source>%n to sync</source>
        <translation>
            <numerusform>%n de sincronizat</numerusform>
            <numerusform>%n de sincronizat</numerusform>
            <numerusform>%n de sincronizat</numerusform>
        </translation>
    </message>
    <message>
        <source>Labels saved here, waiting for the hub.</source>
        <translation>Etichete salvate aici, în așteptarea hubului.</translation>
    </message>
    <message>
        <source>all synced</source>
        <translation>totul sincronizat</translation>
    </message>
    <message>
        <source>Every decision of yours has reached the hub.</source>
        <translation>Toate deciziile dvs. au ajuns la hub.</translation>
    </message>
    <message numerus="yes">
        <source>%n decisions of other annotators on this seat wait for them to sign in here again.</source>
        <translation>
            <numerusform>%n decizie a altor adnotatori de pe acest post așteaptă ca ei să se conecteze din nou aici.</numerusform>
            <numerusform>%n decizii ale altor adnotatori de pe acest post așteaptă ca ei să se conecteze din nou aici.</numerusform>
            <numerusform>%n de decizii ale altor adnotatori de pe acest post așteaptă ca ei să se conecteze din nou aici.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in to your shift</source>
        <translation>Conectați-vă la tura dvs.</translation>
    </message>
    <message>
        <source>Seat {seat}</source>
        <translation>Postul {seat}</translation>
    </message>
    <message>
        <source>your annotator name</source>
        <translation>numele dvs. de adnotator</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nume</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Parolă</translation>
    </message>
    <message>
        <source>Checking this seat with the hub…</source>
        <translation>Se verifică acest post la hub…</translation>
    </message>
    <message>
        <source>Check approval again</source>
        <translation>Verificați din nou aprobarea</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Conectare</translation>
    </message>
    <message>
        <source>Continue my shift offline</source>
        <translation>Continui tura offline</translation>
    </message>
    <message>
        <source>Enter your name and password.</source>
        <translation>Introduceți numele și parola.</translation>
    </message>
    <message>
        <source>Enter your name and password to go on offline.</source>
        <translation>Introduceți numele și parola pentru a continua offline.</translation>
    </message>
    <message>
        <source>Continue {owner}&apos;s shift offline ({done} / {total})</source>
        <translation>Continuați offline tura utilizatorului {owner} ({done} / {total})</translation>
    </message>
    <message>
        <source>The hub is away, but {owner}&apos;s shift is on this PC: {owner} can go on with it offline by typing their own name and password, then this button.</source>
        <translation>Hubul nu răspunde, dar tura utilizatorului {owner} se află pe acest PC: {owner} o poate continua offline introducându-și numele și parola, apoi apăsând acest buton.</translation>
    </message>
    <message>
        <source>Only {owner} can go on with this shift while the hub is away, with their own password.</source>
        <translation>Doar {owner} poate continua această tură cât timp hubul nu răspunde, cu propria parolă.</translation>
    </message>
    <message>
        <source>Floor hub: {address} · seat name: {seat}</source>
        <translation>Hubul sălii: {address} · numele postului: {seat}</translation>
    </message>
    <message>
        <source>This seat is approved.</source>
        <translation>Acest post este aprobat.</translation>
    </message>
    <message>
        <source>This seat is new here: IT must approve it before anyone can sign in. Tell IT this code:</source>
        <translation>Acest post este nou aici: IT-ul trebuie să-l aprobe înainte ca cineva să se poată conecta. Comunicați IT-ului acest cod:</translation>
    </message>
    <message>
        <source>IT has taken this seat&apos;s approval back: nobody can sign in here. Tell IT.</source>
        <translation>IT-ul a retras aprobarea acestui post: nimeni nu se poate conecta aici. Anunțați IT-ul.</translation>
    </message>
    <message>
        <source>Approve this seat on the hub: {command}</source>
        <translation>Aprobați acest post pe hub: {command}</translation>
    </message>
    <message>
        <source>This seat could not be checked with the hub.</source>
        <translation>Acest post nu a putut fi verificat la hub.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Încercați din nou</translation>
    </message>
</context>
<context>
    <name>StartWindow</name>
    <message>
        <source>Floor annotation — sign in</source>
        <translation>Adnotare — conectare</translation>
    </message>
    <message>
        <source>About…</source>
        <translation>Despre…</translation>
    </message>
    <message>
        <source>The app&apos;s version and the hub&apos;s (F1)</source>
        <translation>Versiunea aplicației și a hubului (F1)</translation>
    </message>
</context>
<context>
    <name>Summary</name>
    <message>
        <source>All decisions have reached the hub.</source>
        <translation>Toate deciziile au ajuns la hub.</translation>
    </message>
    <message numerus="yes">
        <source>%n decisions are saved here and will reach the hub when it answers.</source>
        <translation>
            <numerusform>%n decizie este salvată aici și va ajunge la hub când acesta va răspunde.</numerusform>
            <numerusform>%n decizii sunt salvate aici și vor ajunge la hub când acesta va răspunde.</numerusform>
            <numerusform>%n de decizii sunt salvate aici și vor ajunge la hub când acesta va răspunde.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shift complete — {done} of %n clips decided.</source>
        <translation>
            <numerusform>Tură încheiată — {done} din %n clip decis.</numerusform>
            <numerusform>Tură încheiată — {done} din %n clipuri decise.</numerusform>
            <numerusform>Tură încheiată — {done} din %n de clipuri decise.</numerusform>
        </translation>
    </message>
    <message>
        <source>Skipped: {skipped}    Flagged sensitive: {flagged}</source>
        <translation>Omise: {skipped}    Marcate ca sensibile: {flagged}</translation>
    </message>
    <message>
        <source>Median active time per clip: {seconds} s</source>
        <translation>Timp activ median pe clip: {seconds} s</translation>
    </message>
</context>
<context>
    <name>Taxonomy</name>
    <message>
        <source>Real event</source>
        <translation>Eveniment real</translation>
    </message>
    <message>
        <source>False alarm</source>
        <translation>Alarmă falsă</translation>
    </message>
    <message>
        <source>Sensitive</source>
        <translation>Sensibil</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persoană</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>Vehicul</translation>
    </message>
    <message>
        <source>Animal</source>
        <translation>Animal</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Colet</translation>
    </message>
    <message>
        <source>Lighting</source>
        <translation>Iluminare</translation>
    </message>
    <message>
        <source>Weather</source>
        <translation>Vreme</translation>
    </message>
    <message>
        <source>Foliage</source>
        <translation>Vegetație</translation>
    </message>
    <message>
        <source>Insect / spider</source>
        <translation>Insectă / păianjen</translation>
    </message>
    <message>
        <source>Camera fault</source>
        <translation>Defect de cameră</translation>
    </message>
    <message>
        <source>Sensitive — dispose</source>
        <translation>Sensibil — de eliminat</translation>
    </message>
    <message>
        <source>Clip does not play</source>
        <translation>Clipul nu rulează</translation>
    </message>
    <message>
        <source>Cannot tell</source>
        <translation>Nu se poate stabili</translation>
    </message>
    <message>
        <source>Not a security clip</source>
        <translation>Nu e un clip de securitate</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Altceva</translation>
    </message>
    <message>
        <source>Private content</source>
        <translation>Conținut privat</translation>
    </message>
    <message>
        <source>Nudity or intimacy</source>
        <translation>Nuditate sau intimitate</translation>
    </message>
    <message>
        <source>A child is visible</source>
        <translation>Se vede un copil</translation>
    </message>
    <message>
        <source>Bedroom or bathroom</source>
        <translation>Dormitor sau baie</translation>
    </message>
    <message>
        <source>Violence or distress</source>
        <translation>Violență sau suferință</translation>
    </message>
    <message>
        <source>Other private content</source>
        <translation>Alt conținut privat</translation>
    </message>
</context>
<context>
    <name>Waits</name>
    <message numerus="yes">
        <source>%n seconds</source>
        <translation>
            <numerusform>%n secundă</numerusform>
            <numerusform>%n secunde</numerusform>
            <numerusform>%n de secunde</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minutes</source>
        <translation>
            <numerusform>%n minut</numerusform>
            <numerusform>%n minute</numerusform>
            <numerusform>%n de minute</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hours</source>
        <translation>
            <numerusform>%n oră</numerusform>
            <numerusform>%n ore</numerusform>
            <numerusform>%n de ore</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>The floor hub does not answer. Your decisions are kept on this PC; try again in a moment, or tell IT if it stays like this.</source>
        <translation>Hubul sălii nu răspunde. Deciziile dvs. se păstrează pe acest PC; încercați din nou peste puțin timp sau anunțați IT-ul dacă situația persistă.</translation>
    </message>
    <message>
        <source>This PC cannot check that it is talking to the real floor hub, so it sends nothing. Tell IT; your decisions are kept on this PC.</source>
        <translation>Acest PC nu poate verifica dacă vorbește cu adevăratul hub al sălii, așa că nu trimite nimic. Anunțați IT-ul; deciziile dvs. se păstrează pe acest PC.</translation>
    </message>
    <message>
        <source>The floor hub gave an answer this app cannot use. Tell IT; your decisions are kept on this PC.</source>
        <translation>Hubul sălii a dat un răspuns pe care această aplicație nu îl poate folosi. Anunțați IT-ul; deciziile dvs. se păstrează pe acest PC.</translation>
    </message>
    <message>
        <source>Something went wrong while starting the shift. Try again; if it repeats, tell IT.</source>
        <translation>Ceva nu a mers bine la pornirea turei. Încercați din nou; dacă se repetă, anunțați IT-ul.</translation>
    </message>
    <message>
        <source>Something on this PC or the hub stops the shift. Tell IT; the details are under “IT details”.</source>
        <translation>O problemă pe acest PC sau la hub oprește tura. Anunțați IT-ul; detaliile sunt la „Detalii pentru IT”.</translation>
    </message>
    <message>
        <source>This PC cannot keep clips out of screen recordings, and this floor requires that. Tell IT; they can give you a seat that can.</source>
        <translation>Acest PC nu poate ține clipurile departe de înregistrările de ecran, iar această sală o cere. Anunțați IT-ul; vă pot da un post care poate.</translation>
    </message>
    <message>
        <source>This PC is not set up for the floor yet. Tell IT.</source>
        <translation>Acest PC nu este încă pregătit pentru sală. Anunțați IT-ul.</translation>
    </message>
    <message>
        <source>This PC has no safe place for a shift&apos;s keys, so clips cannot play here. Tell IT.</source>
        <translation>Acest PC nu are un loc sigur pentru cheile unei ture, așa că aici clipurile nu pot rula. Anunțați IT-ul.</translation>
    </message>
    <message>
        <source>Too many tries: sign-in is paused for {wait}. Ask a supervisor if you have forgotten the password.</source>
        <translation>Prea multe încercări: conectarea este suspendată pentru {wait}. Cereți ajutorul unui supervizor dacă ați uitat parola.</translation>
    </message>
</context>
<context>
    <name>run_app</name>
    <message>
        <source>This PC is not ready for the floor</source>
        <translation>Acest PC nu este pregătit pentru sală</translation>
    </message>
    <message>
        <source>Clips cannot play on this PC</source>
        <translation>Clipurile nu pot rula pe acest PC</translation>
    </message>
    <message>
        <source>The app cannot start</source>
        <translation>Aplicația nu poate porni</translation>
    </message>
</context>
</TS>
