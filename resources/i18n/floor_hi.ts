<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Floor annotation workstation</source>
        <translation>फ़्लोर एनोटेशन वर्कस्टेशन</translation>
    </message>
    <message>
        <source>About {product}</source>
        <translation>{product} के बारे में</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>संस्करण {version}</translation>
    </message>
    <message>
        <source>Floor hub: asking for its version…</source>
        <translation>फ़्लोर हब: संस्करण पूछा जा रहा है…</translation>
    </message>
    <message>
        <source>Floor hub: not connected</source>
        <translation>फ़्लोर हब: कनेक्ट नहीं है</translation>
    </message>
    <message>
        <source>Language: {language}</source>
        <translation>भाषा: {language}</translation>
    </message>
    <message>
        <source>Clips play only from this PC&apos;s encrypted cache; only labels travel to the floor hub.</source>
        <translation>क्लिप केवल इस PC के एन्क्रिप्टेड कैश से चलती हैं; फ़्लोर हब तक केवल लेबल जाते हैं।</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
    <message>
        <source>Floor hub: version {version}</source>
        <translation>फ़्लोर हब: संस्करण {version}</translation>
    </message>
    <message>
        <source>Floor hub: its version is not known</source>
        <translation>फ़्लोर हब: संस्करण ज्ञात नहीं है</translation>
    </message>
    <message>
        <source>Floor hub: not reachable now</source>
        <translation>फ़्लोर हब: अभी उपलब्ध नहीं है</translation>
    </message>
</context>
<context>
    <name>AppFlow</name>
    <message>
        <source>Screen capture can no longer be blocked on this seat, and the machine policy requires it.

{detail}

The clip stays hidden until protection is back; tell IT.</source>
        <translation>इस सीट पर अब स्क्रीन कैप्चर रोका नहीं जा सकता, जबकि मशीन नीति इसकी माँग करती है।

{detail}

सुरक्षा वापस आने तक क्लिप छिपी रहेगी; IT को बताएँ।</translation>
    </message>
    <message>
        <source>Preparing your shift…</source>
        <translation>आपकी शिफ़्ट तैयार की जा रही है…</translation>
    </message>
    <message>
        <source>The hub cannot be reached: you go on offline. Your decisions are kept here and reach the hub after your next sign-in with it.</source>
        <translation>हब से संपर्क नहीं हो पा रहा है: आप ऑफ़लाइन काम जारी रखेंगे। आपके निर्णय यहीं सुरक्षित रहेंगे और हब के साथ अगली बार साइन इन करने पर वहाँ पहुँच जाएँगे।</translation>
    </message>
    <message>
        <source>This seat&apos;s audit log was altered after it was written (event {event}). That is on record; tell IT.</source>
        <translation>इस सीट का ऑडिट लॉग लिखे जाने के बाद बदला गया (इवेंट {event})। यह दर्ज कर लिया गया है; IT को बताएँ।</translation>
    </message>
    <message>
        <source>This shift ran longer than the machine policy allows ({hours} h), so its clips were removed from this PC. Your decisions are kept; sign in again to go on with a fresh key.</source>
        <translation>यह शिफ़्ट मशीन नीति की अनुमति ({hours} घंटे) से अधिक चली, इसलिए इसकी क्लिप इस PC से हटा दी गईं। आपके निर्णय सुरक्षित हैं; नई कुंजी के साथ जारी रखने के लिए फिर से साइन इन करें।</translation>
    </message>
    <message>
        <source>The new keys work now but could not be saved ({why}).</source>
        <translation>नई कुंजियाँ अभी काम कर रही हैं, पर सहेजी नहीं जा सकीं ({why})।</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(अज्ञात)</translation>
    </message>
</context>
<context>
    <name>AudioOutput</name>
    <message>
        <source>the system lists no audio output</source>
        <translation>सिस्टम में कोई ऑडियो आउटपुट नहीं है</translation>
    </message>
    <message>
        <source>the audio output would not open</source>
        <translation>ऑडियो आउटपुट खुल नहीं सका</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>Comment on this clip</source>
        <translation>इस क्लिप पर टिप्पणी</translation>
    </message>
    <message>
        <source>Your note goes to the hub with this clip&apos;s decision.</source>
        <translation>आपकी टिप्पणी इस क्लिप के निर्णय के साथ हब पर जाती है।</translation>
    </message>
    <message>
        <source>What should a supervisor know about this clip?</source>
        <translation>पर्यवेक्षक को इस क्लिप के बारे में क्या जानना चाहिए?</translation>
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
        <translation>साइन आउट</translation>
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
        <translation>क्लिप {number} → संवेदनशील चिह्नित; यह इस PC से हटा दी गई है</translation>
    </message>
    <message>
        <source>Clip {number} → skipped ({reason}) · {key} undoes</source>
        <translation>क्लिप {number} → छोड़ी गई ({reason}) · {key} से पूर्ववत करें</translation>
    </message>
    <message>
        <source>Clip {number} → {label} · {key} undoes</source>
        <translation>क्लिप {number} → {label} · {key} से पूर्ववत करें</translation>
    </message>
    <message>
        <source>Skip this clip</source>
        <translation>यह क्लिप छोड़ें</translation>
    </message>
    <message>
        <source>Why skip this clip?</source>
        <translation>यह क्लिप क्यों छोड़ रहे हैं?</translation>
    </message>
    <message>
        <source>This clip is closed.

Choose why it must be disposed of.</source>
        <translation>यह क्लिप बंद है।

चुनें कि इसे क्यों हटाया जाना चाहिए।</translation>
    </message>
    <message>
        <source>Flag sensitive — dispose</source>
        <translation>संवेदनशील चिह्नित करें — हटाएँ</translation>
    </message>
    <message>
        <source>Why must this clip be disposed of? It is removed from this PC at once and a supervisor confirms the disposal.</source>
        <translation>इस क्लिप को क्यों हटाया जाना चाहिए? इसे इस PC से तुरंत हटा दिया जाता है और एक पर्यवेक्षक हटाने की पुष्टि करता है।</translation>
    </message>
    <message>
        <source>Back to clip {number} — it was “{label}”; choose again</source>
        <translation>क्लिप {number} पर वापस — यह “{label}” थी; फिर से चुनें</translation>
    </message>
    <message>
        <source>Back to clip {number} — it was skipped; choose again</source>
        <translation>क्लिप {number} पर वापस — इसे छोड़ा गया था; फिर से चुनें</translation>
    </message>
    <message>
        <source>The clip you were on was withdrawn from the floor; it is gone from this PC.</source>
        <translation>जिस क्लिप पर आप काम कर रहे थे, वह वापस ले ली गई है; वह इस PC से हटा दी गई है।</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>Floor annotation — demo</source>
        <translation>फ़्लोर एनोटेशन — डेमो</translation>
    </message>
    <message>
        <source>Preparing the demo</source>
        <translation>डेमो तैयार किया जा रहा है</translation>
    </message>
    <message>
        <source>Making the first synthetic camera clips…</source>
        <translation>पहली सिंथेटिक कैमरा क्लिप बनाई जा रही हैं…</translation>
    </message>
    <message>
        <source>Writing three weeks of a floor&apos;s work for the supervisor&apos;s figures (once)…</source>
        <translation>पर्यवेक्षक के आँकड़ों के लिए एक फ़्लोर के तीन हफ़्तों का काम लिखा जा रहा है (केवल एक बार)…</translation>
    </message>
    <message>
        <source>Making synthetic camera clips: {done} of {total} ready. The first ones play as soon as they are made; the rest follow while you work.</source>
        <translation>सिंथेटिक कैमरा क्लिप बनाई जा रही हैं: {total} में से {done} तैयार। पहली क्लिप बनते ही चलने लगती हैं; बाकी आपके काम करते समय आती रहेंगी।</translation>
    </message>
    <message>
        <source>Starting the demo&apos;s floor hub and this seat…</source>
        <translation>डेमो का फ़्लोर हब और यह सीट शुरू की जा रही है…</translation>
    </message>
    <message>
        <source>The demo could not start</source>
        <translation>डेमो शुरू नहीं हो सका</translation>
    </message>
</context>
<context>
    <name>Domain</name>
    <message>
        <source>This shift is {owner}&apos;s; {user} cannot decide on it.</source>
        <translation>यह शिफ़्ट {owner} की है; {user} इस पर निर्णय नहीं ले सकते।</translation>
    </message>
    <message>
        <source>The shift is complete; nothing more can be decided on it.</source>
        <translation>शिफ़्ट पूरी हो चुकी है; इस पर अब कोई निर्णय नहीं लिया जा सकता।</translation>
    </message>
    <message>
        <source>This shift is {owner}&apos;s.</source>
        <translation>यह शिफ़्ट {owner} की है।</translation>
    </message>
    <message>
        <source>That clip is not part of this shift.</source>
        <translation>वह क्लिप इस शिफ़्ट का हिस्सा नहीं है।</translation>
    </message>
    <message>
        <source>The shift is complete and its clips are gone from this PC; nothing can be undone now.</source>
        <translation>शिफ़्ट पूरी हो चुकी है और इसकी क्लिप इस PC से हटा दी गई हैं; अब कुछ भी पूर्ववत नहीं किया जा सकता।</translation>
    </message>
    <message>
        <source>A flagged clip was removed from this PC; it cannot be reopened.</source>
        <translation>एक चिह्नित क्लिप इस PC से हटा दी गई थी; उसे दोबारा नहीं खोला जा सकता।</translation>
    </message>
    <message>
        <source>Nothing to undo in this shift.</source>
        <translation>इस शिफ़्ट में पूर्ववत करने के लिए कुछ नहीं है।</translation>
    </message>
    <message>
        <source>That clip is no longer part of this shift.</source>
        <translation>वह क्लिप अब इस शिफ़्ट का हिस्सा नहीं है।</translation>
    </message>
    <message>
        <source>The flagged clip could not be removed from this PC ({why}); tell IT.</source>
        <translation>चिह्नित क्लिप इस PC से हटाई नहीं जा सकी ({why}); IT को बताएँ।</translation>
    </message>
    <message>
        <source>The flagged clip stays closed; the decision before it was undone.</source>
        <translation>चिह्नित क्लिप बंद ही रहेगी; उससे पहले का निर्णय पूर्ववत कर दिया गया।</translation>
    </message>
    <message>
        <source>Sign in again to take a shift.</source>
        <translation>शिफ़्ट लेने के लिए फिर से साइन इन करें।</translation>
    </message>
    <message>
        <source>There is no shift on this PC that can go on without the hub.</source>
        <translation>इस PC पर ऐसी कोई शिफ़्ट नहीं है जो हब के बिना जारी रह सके।</translation>
    </message>
    <message>
        <source>Sign in once the hub answers again.</source>
        <translation>हब के फिर से जवाब देने पर साइन इन करें।</translation>
    </message>
    <message>
        <source>This PC holds {owner}&apos;s shift: only {owner} can go on with it offline, with their own password.</source>
        <translation>इस PC पर {owner} की शिफ़्ट है: केवल {owner} ही अपने पासवर्ड से इसे ऑफ़लाइन जारी रख सकते हैं।</translation>
    </message>
    <message>
        <source>Too many wrong passwords: try again in {wait}.</source>
        <translation>बहुत अधिक गलत पासवर्ड: {wait} बाद फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>This shift cannot go on offline: this PC has no way to check the password.</source>
        <translation>यह शिफ़्ट ऑफ़लाइन जारी नहीं रह सकती: इस PC के पास पासवर्ड जाँचने का कोई तरीका नहीं है।</translation>
    </message>
    <message>
        <source>That is not {owner}&apos;s password. Try again in {wait}.</source>
        <translation>यह {owner} का पासवर्ड नहीं है। {wait} बाद फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>That is not {owner}&apos;s password ({n} more tries before a wait).</source>
        <translation>यह {owner} का पासवर्ड नहीं है (प्रतीक्षा से पहले बचे प्रयास: {n})।</translation>
    </message>
    <message>
        <source>“{action}” needs a key.</source>
        <translation>“{action}” के लिए एक कुंजी चाहिए।</translation>
    </message>
    <message>
        <source>The key {key} is kept for labels 1–9.</source>
        <translation>कुंजी {key} लेबल 1–9 के लिए आरक्षित है।</translation>
    </message>
    <message>
        <source>Choose another key.</source>
        <translation>कोई दूसरी कुंजी चुनें।</translation>
    </message>
    <message>
        <source>The key {key} is already used for “{action}”.</source>
        <translation>कुंजी {key} पहले से “{action}” के लिए इस्तेमाल हो रही है।</translation>
    </message>
    <message>
        <source>Give that action another key first.</source>
        <translation>पहले उस क्रिया को कोई दूसरी कुंजी दें।</translation>
    </message>
    <message>
        <source>This shift&apos;s key is gone from the key store, so its clips cannot be opened.</source>
        <translation>इस शिफ़्ट की कुंजी कुंजी-भंडार में नहीं है, इसलिए इसकी क्लिप नहीं खोली जा सकतीं।</translation>
    </message>
    <message>
        <source>Sign in again to fetch the shift anew; your labels are kept.</source>
        <translation>शिफ़्ट फिर से लाने के लिए दोबारा साइन इन करें; आपके लेबल सुरक्षित हैं।</translation>
    </message>
    <message>
        <source>Sign in again.</source>
        <translation>फिर से साइन इन करें।</translation>
    </message>
    <message>
        <source>This PC&apos;s label store was damaged, so it was set aside for IT ({file}) and the app started with a clean one; decisions that had not reached the hub may be in it, so tell IT.</source>
        <translation>इस PC का लेबल स्टोर खराब हो गया था, इसलिए उसे IT के लिए अलग रख दिया गया ({file}) और ऐप एक नए स्टोर के साथ शुरू हुआ; उसमें ऐसे निर्णय हो सकते हैं जो हब तक नहीं पहुँचे थे, इसलिए IT को बताएँ।</translation>
    </message>
    <message>
        <source>Clips cannot play on this seat</source>
        <translation>इस सीट पर क्लिप नहीं चल सकतीं</translation>
    </message>
    <message>
        <source>The user name or password is not correct.</source>
        <translation>उपयोगकर्ता नाम या पासवर्ड सही नहीं है।</translation>
    </message>
    <message>
        <source>This account is disabled.</source>
        <translation>यह खाता निष्क्रिय है।</translation>
    </message>
    <message>
        <source>This workstation was revoked by IT and may no longer use the floor hub.</source>
        <translation>IT ने इस वर्कस्टेशन की अनुमति वापस ले ली है; यह अब फ़्लोर हब का उपयोग नहीं कर सकता।</translation>
    </message>
    <message>
        <source>This workstation is still waiting for IT to approve it.</source>
        <translation>यह वर्कस्टेशन अभी भी IT की स्वीकृति की प्रतीक्षा कर रहा है।</translation>
    </message>
    <message>
        <source>This workstation is not enrolled with the floor hub.</source>
        <translation>यह वर्कस्टेशन फ़्लोर हब में पंजीकृत नहीं है।</translation>
    </message>
    <message>
        <source>This workstation is not approved to use the floor hub.</source>
        <translation>यह वर्कस्टेशन फ़्लोर हब का उपयोग करने के लिए स्वीकृत नहीं है।</translation>
    </message>
    <message>
        <source>This session is unknown or has ended.</source>
        <translation>यह सत्र अज्ञात है या समाप्त हो चुका है।</translation>
    </message>
    <message>
        <source>This session has expired.</source>
        <translation>इस सत्र की अवधि समाप्त हो गई है।</translation>
    </message>
    <message>
        <source>No clips are waiting to be labeled.</source>
        <translation>लेबल करने के लिए कोई क्लिप प्रतीक्षा में नहीं है।</translation>
    </message>
    <message>
        <source>Ask IT about this workstation&apos;s access to the floor hub.</source>
        <translation>इस वर्कस्टेशन की फ़्लोर हब तक पहुँच के बारे में IT से पूछें।</translation>
    </message>
    <message>
        <source>Wait, then sign in again; ask a supervisor if you have forgotten the password.</source>
        <translation>प्रतीक्षा करें, फिर दोबारा साइन इन करें; पासवर्ड भूल गए हों तो किसी पर्यवेक्षक से पूछें।</translation>
    </message>
    <message>
        <source>It is retried automatically; labeling goes on meanwhile.</source>
        <translation>यह अपने आप दोबारा कोशिश करेगा; तब तक लेबलिंग जारी रहती है।</translation>
    </message>
    <message>
        <source>Tell IT or a supervisor if this keeps happening.</source>
        <translation>अगर ऐसा बार-बार हो, तो IT या किसी पर्यवेक्षक को बताएँ।</translation>
    </message>
</context>
<context>
    <name>DownloadPage</name>
    <message>
        <source>Preparing your shift</source>
        <translation>आपकी शिफ़्ट तैयार की जा रही है</translation>
    </message>
    <message>
        <source>Asking the hub for clips…</source>
        <translation>हब से क्लिप माँगी जा रही हैं…</translation>
    </message>
    <message>
        <source>Clips arrive encrypted and stay encrypted on this PC.</source>
        <translation>क्लिप एन्क्रिप्टेड आती हैं और इस PC पर एन्क्रिप्टेड ही रहती हैं।</translation>
    </message>
    <message>
        <source>Downloading clip {clip} of {clips} · {done} of {size} MB</source>
        <translation>{clips} में से क्लिप {clip} डाउनलोड हो रही है · {size} में से {done} MB</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <source>Keys</source>
        <translation>कुंजियाँ</translation>
    </message>
    <message>
        <source>Any key closes this. Enter: change keys. F1: about this app.</source>
        <translation>कोई भी कुंजी इसे बंद करती है। Enter: कुंजियाँ बदलें। F1: इस ऐप के बारे में।</translation>
    </message>
    <message>
        <source>About…</source>
        <translation>ऐप के बारे में…</translation>
    </message>
    <message>
        <source>Change keys…</source>
        <translation>कुंजियाँ बदलें…</translation>
    </message>
</context>
<context>
    <name>ItDetails</name>
    <message>
        <source>IT details</source>
        <translation>IT के लिए विवरण</translation>
    </message>
</context>
<context>
    <name>KeyInput</name>
    <message>
        <source>The clip just started — watch it a moment, then press again.</source>
        <translation>क्लिप अभी शुरू हुई है — इसे एक पल देखें, फिर दोबारा दबाएँ।</translation>
    </message>
</context>
<context>
    <name>KeymapDialog</name>
    <message>
        <source>Keys</source>
        <translation>कुंजियाँ</translation>
    </message>
    <message>
        <source>Click a key field and press the new key. Labels stay on 1–9.</source>
        <translation>किसी कुंजी फ़ील्ड पर क्लिक करें और नई कुंजी दबाएँ। लेबल 1–9 पर ही रहते हैं।</translation>
    </message>
    <message>
        <source>Back to the defaults</source>
        <translation>डिफ़ॉल्ट पर वापस जाएँ</translation>
    </message>
    <message>
        <source>The key {key} is set for both “{first}” and “{second}”. Give one of them another key.</source>
        <translation>कुंजी {key} “{first}” और “{second}” दोनों के लिए सेट है। इनमें से किसी एक को दूसरी कुंजी दें।</translation>
    </message>
</context>
<context>
    <name>Keys</name>
    <message>
        <source>Decide</source>
        <translation>निर्णय</translation>
    </message>
    <message>
        <source>Playback</source>
        <translation>प्लेबैक</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>ध्वनि</translation>
    </message>
    <message>
        <source>Night view</source>
        <translation>नाइट व्यू</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>सहायता</translation>
    </message>
    <message>
        <source>Play / pause</source>
        <translation>चलाएँ / रोकें</translation>
    </message>
    <message>
        <source>One frame back</source>
        <translation>एक फ़्रेम पीछे</translation>
    </message>
    <message>
        <source>One frame forward</source>
        <translation>एक फ़्रेम आगे</translation>
    </message>
    <message>
        <source>Back 2 seconds</source>
        <translation>2 सेकंड पीछे</translation>
    </message>
    <message>
        <source>Forward 2 seconds</source>
        <translation>2 सेकंड आगे</translation>
    </message>
    <message>
        <source>Slower</source>
        <translation>धीमा</translation>
    </message>
    <message>
        <source>Faster</source>
        <translation>तेज़</translation>
    </message>
    <message>
        <source>Replay from the start</source>
        <translation>शुरू से दोबारा चलाएँ</translation>
    </message>
    <message>
        <source>Volume down</source>
        <translation>आवाज़ कम</translation>
    </message>
    <message>
        <source>Volume up</source>
        <translation>आवाज़ ज़्यादा</translation>
    </message>
    <message>
        <source>Mute / unmute</source>
        <translation>म्यूट / अनम्यूट</translation>
    </message>
    <message>
        <source>Undo last decision (returns to that clip)</source>
        <translation>आख़िरी निर्णय पूर्ववत करें (उस क्लिप पर लौटें)</translation>
    </message>
    <message>
        <source>Skip with a reason</source>
        <translation>कारण देकर छोड़ें</translation>
    </message>
    <message>
        <source>Flag sensitive — dispose</source>
        <translation>संवेदनशील चिह्नित करें — हटाएँ</translation>
    </message>
    <message>
        <source>Comment on this clip</source>
        <translation>इस क्लिप पर टिप्पणी</translation>
    </message>
    <message>
        <source>Brighter</source>
        <translation>अधिक चमक</translation>
    </message>
    <message>
        <source>Darker</source>
        <translation>कम चमक</translation>
    </message>
    <message>
        <source>More contrast</source>
        <translation>अधिक कंट्रास्ट</translation>
    </message>
    <message>
        <source>Less contrast</source>
        <translation>कम कंट्रास्ट</translation>
    </message>
    <message>
        <source>Lift shadows (gamma)</source>
        <translation>छायाएँ हल्की करें (गामा)</translation>
    </message>
    <message>
        <source>Deepen shadows (gamma)</source>
        <translation>छायाएँ गहरी करें (गामा)</translation>
    </message>
    <message>
        <source>Local contrast (CLAHE) on / off</source>
        <translation>स्थानीय कंट्रास्ट (CLAHE) चालू / बंद</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>ज़ूम इन</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>ज़ूम आउट</translation>
    </message>
    <message>
        <source>Reset the view</source>
        <translation>दृश्य रीसेट करें</translation>
    </message>
    <message>
        <source>Hold to reveal a blurred clip</source>
        <translation>धुंधली क्लिप देखने के लिए दबाए रखें</translation>
    </message>
    <message>
        <source>Show these keys</source>
        <translation>ये कुंजियाँ दिखाएँ</translation>
    </message>
</context>
<context>
    <name>LabelPanel</name>
    <message>
        <source>Press {key}</source>
        <translation>{key} दबाएँ</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Locked</source>
        <translation>लॉक है</translation>
    </message>
    <message>
        <source>your password</source>
        <translation>आपका पासवर्ड</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>अनलॉक करें</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>साइन आउट</translation>
    </message>
    <message>
        <source>Too many wrong passwords. Try again in {wait}.</source>
        <translation>बहुत अधिक गलत पासवर्ड। {wait} बाद फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>You can try your password again now.</source>
        <translation>अब आप फिर से अपना पासवर्ड आज़मा सकते हैं।</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Floor annotation</source>
        <translation>फ़्लोर एनोटेशन</translation>
    </message>
    <message>
        <source>frame {index} / {count}</source>
        <translation>फ़्रेम {index} / {count}</translation>
    </message>
    <message>
        <source>Clip {number} of {total}</source>
        <translation>क्लिप {number}, कुल {total}</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>टिप्पणी</translation>
    </message>
    <message>
        <source>playing</source>
        <translation>चल रही है</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>रुकी हुई</translation>
    </message>
    <message>
        <source>end of clip  ({key} replays)</source>
        <translation>क्लिप समाप्त  ({key} से दोबारा चलाएँ)</translation>
    </message>
    <message>
        <source>Close the shift?</source>
        <translation>शिफ़्ट बंद करें?</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
    <message>
        <source>Keep working</source>
        <translation>काम जारी रखें</translation>
    </message>
</context>
<context>
    <name>NightView</name>
    <message>
        <source>bright {value}</source>
        <translation>चमक {value}</translation>
    </message>
    <message>
        <source>contrast {value}</source>
        <translation>कंट्रास्ट {value}</translation>
    </message>
    <message>
        <source>zoom {value}×</source>
        <translation>ज़ूम {value}×</translation>
    </message>
</context>
<context>
    <name>ProblemPage</name>
    <message>
        <source>The shift cannot start</source>
        <translation>शिफ़्ट शुरू नहीं हो सकती</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>Save</source>
        <translation>सहेजें</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>ठीक है</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Press the number of the reason (1–{last}). Esc cancels.</source>
        <translation>कारण की संख्या दबाएँ (1–{last})। Esc रद्द करता है।</translation>
    </message>
</context>
<context>
    <name>ShiftController</name>
    <message>
        <source>Opening the clip…</source>
        <translation>क्लिप खोली जा रही है…</translation>
    </message>
    <message>
        <source>The clip could not be opened ({why}).</source>
        <translation>क्लिप खोली नहीं जा सकी ({why})।</translation>
    </message>
    <message>
        <source>This clip cannot be played.

{why}

Press {key} to skip it (reason: clip does not play).</source>
        <translation>यह क्लिप चलाई नहीं जा सकती।

{why}

इसे छोड़ने के लिए {key} दबाएँ (कारण: क्लिप नहीं चलती)।</translation>
    </message>
    <message>
        <source>No sound on this PC: {why}.</source>
        <translation>इस PC पर ध्वनि नहीं है: {why}।</translation>
    </message>
    <message>
        <source>No sound on this PC.</source>
        <translation>इस PC पर ध्वनि नहीं है।</translation>
    </message>
    <message>
        <source>This clip has no sound.</source>
        <translation>इस क्लिप में ध्वनि नहीं है।</translation>
    </message>
    <message>
        <source>Sound muted</source>
        <translation>ध्वनि म्यूट है</translation>
    </message>
    <message>
        <source>Volume {percent} %</source>
        <translation>आवाज़ {percent} %</translation>
    </message>
    <message>
        <source>blurred — hold {key} to reveal</source>
        <translation>धुंधली — देखने के लिए {key} दबाए रखें</translation>
    </message>
    <message>
        <source>stopped at {seconds} s</source>
        <translation>{seconds} सेकंड पर रुकी</translation>
    </message>
    <message>
        <source>This clip cannot be played past {seconds} s: {why}  Press {key} to skip it (reason: clip does not play).</source>
        <translation>यह क्लिप {seconds} सेकंड के बाद नहीं चल सकती: {why}  इसे छोड़ने के लिए {key} दबाएँ (कारण: क्लिप नहीं चलती)।</translation>
    </message>
    <message numerus="yes">
        <source>You have worked %n minutes without a break. Stand up, look away from the screen for a few minutes. The clip is paused; any key goes on.</source>
        <translation>
            <numerusform>आप बिना ब्रेक के %n मिनट से काम कर रहे हैं। उठिए और कुछ मिनट स्क्रीन से दूर देखिए। क्लिप रुकी हुई है; जारी रखने के लिए कोई भी कुंजी दबाएँ।</numerusform>
            <numerusform>आप बिना ब्रेक के %n मिनट से काम कर रहे हैं। उठिए और कुछ मिनट स्क्रीन से दूर देखिए। क्लिप रुकी हुई है; जारी रखने के लिए कोई भी कुंजी दबाएँ।</numerusform>
        </translation>
    </message>
    <message>
        <source>Shift complete</source>
        <translation>शिफ़्ट पूरी हुई</translation>
    </message>
    <message numerus="yes">
        <source>%n clips are left in this shift. Close anyway? Your decisions are kept, and the shift goes on where you left it at your next sign-in.</source>
        <translation>
            <numerusform>इस शिफ़्ट में %n क्लिप बाकी है। फिर भी बंद करें? आपके निर्णय सुरक्षित रहेंगे, और अगली बार साइन इन करने पर शिफ़्ट वहीं से जारी रहेगी जहाँ आपने छोड़ी थी।</numerusform>
            <numerusform>इस शिफ़्ट में %n क्लिप बाकी हैं। फिर भी बंद करें? आपके निर्णय सुरक्षित रहेंगे, और अगली बार साइन इन करने पर शिफ़्ट वहीं से जारी रहेगी जहाँ आपने छोड़ी थी।</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftGuard</name>
    <message>
        <source>Paused — the computer is locked.

Press {key} to go on.</source>
        <translation>रुका हुआ — कंप्यूटर लॉक है।

जारी रखने के लिए {key} दबाएँ।</translation>
    </message>
    <message>
        <source>Paused — the window is minimised.

Press {key} to go on.</source>
        <translation>रुका हुआ — विंडो मिनिमाइज़ है।

जारी रखने के लिए {key} दबाएँ।</translation>
    </message>
    <message>
        <source>Paused — the window is not in front.

Press {key} to go on.</source>
        <translation>रुका हुआ — विंडो सामने नहीं है।

जारी रखने के लिए {key} दबाएँ।</translation>
    </message>
    <message>
        <source>Locked.</source>
        <translation>लॉक है।</translation>
    </message>
    <message numerus="yes">
        <source>The shift locked after %n minutes without input.</source>
        <translation>
            <numerusform>%n मिनट तक कोई इनपुट न होने पर शिफ़्ट लॉक हो गई।</numerusform>
            <numerusform>%n मिनट तक कोई इनपुट न होने पर शिफ़्ट लॉक हो गई।</numerusform>
        </translation>
    </message>
    <message>
        <source>The shift locked after a while without input.</source>
        <translation>कुछ समय तक कोई इनपुट न होने पर शिफ़्ट लॉक हो गई।</translation>
    </message>
    <message>
        <source>Signed in as {name}</source>
        <translation>{name} के रूप में साइन इन</translation>
    </message>
    <message>
        <source>Type {name}&apos;s password to go on.</source>
        <translation>जारी रखने के लिए {name} का पासवर्ड टाइप करें।</translation>
    </message>
    <message>
        <source>This shift went on offline without a password check, so it cannot be unlocked here: sign out, then sign in again.</source>
        <translation>यह शिफ़्ट बिना पासवर्ड जाँच के ऑफ़लाइन जारी रही थी, इसलिए इसे यहाँ अनलॉक नहीं किया जा सकता: साइन आउट करें, फिर दोबारा साइन इन करें।</translation>
    </message>
    <message numerus="yes">
        <source>That is not {name}&apos;s password — %n more tries before a wait of {wait}.</source>
        <translation>
            <numerusform>यह {name} का पासवर्ड नहीं है — {wait} की प्रतीक्षा से पहले %n और प्रयास बचा है।</numerusform>
            <numerusform>यह {name} का पासवर्ड नहीं है — {wait} की प्रतीक्षा से पहले %n और प्रयास बचे हैं।</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftStatusBar</name>
    <message>
        <source>Capture: not blocked</source>
        <translation>कैप्चर: रोका नहीं गया</translation>
    </message>
    <message>
        <source>Capture: protected</source>
        <translation>कैप्चर: सुरक्षित</translation>
    </message>
    <message>
        <source>Capture: degraded</source>
        <translation>कैप्चर: आंशिक सुरक्षा</translation>
    </message>
    <message>
        <source>Shift {time}</source>
        <translation>शिफ़्ट {time}</translation>
    </message>
    <message>
        <source>Keys: memory only</source>
        <translation>कुंजियाँ: केवल मेमोरी में</translation>
    </message>
    <message>
        <source>Machine policy: shift keys live in process memory only; after a crash the shift is fetched again.</source>
        <translation>मशीन नीति: शिफ़्ट की कुंजियाँ केवल प्रोसेस मेमोरी में रहती हैं; क्रैश के बाद शिफ़्ट फिर से लाई जाती है।</translation>
    </message>
    <message>
        <source>Keys: OS keyring</source>
        <translation>कुंजियाँ: OS कीरिंग</translation>
    </message>
    <message>
        <source>Shift keys are held by the operating system&apos;s keyring.</source>
        <translation>शिफ़्ट की कुंजियाँ ऑपरेटिंग सिस्टम की कीरिंग में रखी जाती हैं।</translation>
    </message>
    <message>
        <source>Capture: {state}</source>
        <translation>कैप्चर: {state}</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>कनेक्ट हो रहा है</translation>
    </message>
    <message>
        <source>online</source>
        <translation>ऑनलाइन</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>ऑफ़लाइन</translation>
    </message>
    <message>
        <source>The hub cannot be reached; labels are kept and sent later.</source>
        <translation>हब से संपर्क नहीं हो पा रहा है; लेबल सुरक्षित हैं और बाद में भेजे जाएँगे।</translation>
    </message>
    <message numerus="yes">
        <source>%n refused by the hub</source>
        <translation>
            <numerusform>हब ने %n निर्णय अस्वीकार किया</numerusform>
            <numerusform>हब ने %n निर्णय अस्वीकार किए</numerusform>
        </translation>
    </message>
    <message>
        <source>The hub refused these decisions; they are kept on this PC. Tell a supervisor.</source>
        <translation>हब ने ये निर्णय अस्वीकार कर दिए; ये इस PC पर सुरक्षित हैं। किसी पर्यवेक्षक को बताएँ।</translation>
    </message>
    <message numerus="yes">
        <source>%n to sync</source>
        <translation>
            <numerusform>%n सिंक बाकी</numerusform>
            <numerusform>%n सिंक बाकी</numerusform>
        </translation>
    </message>
    <message>
        <source>Labels saved here, waiting for the hub.</source>
        <translation>लेबल यहाँ सहेजे गए हैं, हब की प्रतीक्षा है।</translation>
    </message>
    <message>
        <source>all synced</source>
        <translation>सब सिंक हो गया</translation>
    </message>
    <message>
        <source>Every decision of yours has reached the hub.</source>
        <translation>आपका हर निर्णय हब तक पहुँच गया है।</translation>
    </message>
    <message numerus="yes">
        <source>%n decisions of other annotators on this seat wait for them to sign in here again.</source>
        <translation>
            <numerusform>इस सीट पर अन्य एनोटेटरों का %n निर्णय उनके यहाँ फिर से साइन इन करने की प्रतीक्षा में है।</numerusform>
            <numerusform>इस सीट पर अन्य एनोटेटरों के %n निर्णय उनके यहाँ फिर से साइन इन करने की प्रतीक्षा में हैं।</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in to your shift</source>
        <translation>अपनी शिफ़्ट में साइन इन करें</translation>
    </message>
    <message>
        <source>Seat {seat}</source>
        <translation>सीट {seat}</translation>
    </message>
    <message>
        <source>your annotator name</source>
        <translation>आपका एनोटेटर नाम</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>नाम</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>पासवर्ड</translation>
    </message>
    <message>
        <source>Checking this seat with the hub…</source>
        <translation>हब से इस सीट की जाँच हो रही है…</translation>
    </message>
    <message>
        <source>Check approval again</source>
        <translation>स्वीकृति फिर से जाँचें</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>साइन इन करें</translation>
    </message>
    <message>
        <source>Continue my shift offline</source>
        <translation>मेरी शिफ़्ट ऑफ़लाइन जारी रखें</translation>
    </message>
    <message>
        <source>Enter your name and password.</source>
        <translation>अपना नाम और पासवर्ड दर्ज करें।</translation>
    </message>
    <message>
        <source>Enter your name and password to go on offline.</source>
        <translation>ऑफ़लाइन जारी रखने के लिए अपना नाम और पासवर्ड दर्ज करें।</translation>
    </message>
    <message>
        <source>Continue {owner}&apos;s shift offline ({done} / {total})</source>
        <translation>{owner} की शिफ़्ट ऑफ़लाइन जारी रखें ({done} / {total})</translation>
    </message>
    <message>
        <source>The hub is away, but {owner}&apos;s shift is on this PC: {owner} can go on with it offline by typing their own name and password, then this button.</source>
        <translation>हब उपलब्ध नहीं है, लेकिन {owner} की शिफ़्ट इस PC पर है: {owner} अपना नाम और पासवर्ड टाइप करके और फिर यह बटन दबाकर इसे ऑफ़लाइन जारी रख सकते हैं।</translation>
    </message>
    <message>
        <source>Only {owner} can go on with this shift while the hub is away, with their own password.</source>
        <translation>हब उपलब्ध न होने पर केवल {owner} ही अपने पासवर्ड से यह शिफ़्ट जारी रख सकते हैं।</translation>
    </message>
    <message>
        <source>Floor hub: {address} · seat name: {seat}</source>
        <translation>फ़्लोर हब: {address} · सीट का नाम: {seat}</translation>
    </message>
    <message>
        <source>This seat is approved.</source>
        <translation>यह सीट स्वीकृत है।</translation>
    </message>
    <message>
        <source>This seat is new here: IT must approve it before anyone can sign in. Tell IT this code:</source>
        <translation>यह सीट यहाँ नई है: किसी के साइन इन करने से पहले IT को इसे स्वीकृत करना होगा। IT को यह कोड बताएँ:</translation>
    </message>
    <message>
        <source>IT has taken this seat&apos;s approval back: nobody can sign in here. Tell IT.</source>
        <translation>IT ने इस सीट की स्वीकृति वापस ले ली है: यहाँ कोई साइन इन नहीं कर सकता। IT को बताएँ।</translation>
    </message>
    <message>
        <source>Approve this seat on the hub: {command}</source>
        <translation>हब पर इस सीट को स्वीकृत करें: {command}</translation>
    </message>
    <message>
        <source>This seat could not be checked with the hub.</source>
        <translation>हब से इस सीट की जाँच नहीं हो सकी।</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>फिर से कोशिश करें</translation>
    </message>
</context>
<context>
    <name>StartWindow</name>
    <message>
        <source>Floor annotation — sign in</source>
        <translation>फ़्लोर एनोटेशन — साइन इन</translation>
    </message>
    <message>
        <source>About…</source>
        <translation>ऐप के बारे में…</translation>
    </message>
    <message>
        <source>The app&apos;s version and the hub&apos;s (F1)</source>
        <translation>ऐप और हब का संस्करण (F1)</translation>
    </message>
</context>
<context>
    <name>Summary</name>
    <message>
        <source>All decisions have reached the hub.</source>
        <translation>सभी निर्णय हब तक पहुँच गए हैं।</translation>
    </message>
    <message numerus="yes">
        <source>%n decisions are saved here and will reach the hub when it answers.</source>
        <translation>
            <numerusform>%n निर्णय यहाँ सहेजा गया है और हब के जवाब देने पर वहाँ पहुँच जाएगा।</numerusform>
            <numerusform>%n निर्णय यहाँ सहेजे गए हैं और हब के जवाब देने पर वहाँ पहुँच जाएँगे।</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shift complete — {done} of %n clips decided.</source>
        <translation>
            <numerusform>शिफ़्ट पूरी हुई — %n में से {done} क्लिप पर निर्णय लिया गया।</numerusform>
            <numerusform>शिफ़्ट पूरी हुई — %n में से {done} क्लिप पर निर्णय लिया गया।</numerusform>
        </translation>
    </message>
    <message>
        <source>Skipped: {skipped}    Flagged sensitive: {flagged}</source>
        <translation>छोड़ी गईं: {skipped}    संवेदनशील चिह्नित: {flagged}</translation>
    </message>
    <message>
        <source>Median active time per clip: {seconds} s</source>
        <translation>प्रति क्लिप सक्रिय समय की माध्यिका: {seconds} सेकंड</translation>
    </message>
</context>
<context>
    <name>Taxonomy</name>
    <message>
        <source>Real event</source>
        <translation>वास्तविक घटना</translation>
    </message>
    <message>
        <source>False alarm</source>
        <translation>झूठा अलार्म</translation>
    </message>
    <message>
        <source>Sensitive</source>
        <translation>संवेदनशील</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>व्यक्ति</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>वाहन</translation>
    </message>
    <message>
        <source>Animal</source>
        <translation>जानवर</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>पार्सल</translation>
    </message>
    <message>
        <source>Lighting</source>
        <translation>रोशनी</translation>
    </message>
    <message>
        <source>Weather</source>
        <translation>मौसम</translation>
    </message>
    <message>
        <source>Foliage</source>
        <translation>पेड़-पौधे</translation>
    </message>
    <message>
        <source>Insect / spider</source>
        <translation>कीड़ा / मकड़ी</translation>
    </message>
    <message>
        <source>Camera fault</source>
        <translation>कैमरा खराबी</translation>
    </message>
    <message>
        <source>Sensitive — dispose</source>
        <translation>संवेदनशील — हटाएँ</translation>
    </message>
    <message>
        <source>Clip does not play</source>
        <translation>क्लिप नहीं चलती</translation>
    </message>
    <message>
        <source>Cannot tell</source>
        <translation>तय नहीं कर सकते</translation>
    </message>
    <message>
        <source>Not a security clip</source>
        <translation>सुरक्षा क्लिप नहीं है</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>अन्य</translation>
    </message>
    <message>
        <source>Private content</source>
        <translation>निजी सामग्री</translation>
    </message>
    <message>
        <source>Nudity or intimacy</source>
        <translation>नग्नता या अंतरंगता</translation>
    </message>
    <message>
        <source>A child is visible</source>
        <translation>कोई बच्चा दिख रहा है</translation>
    </message>
    <message>
        <source>Bedroom or bathroom</source>
        <translation>शयनकक्ष या बाथरूम</translation>
    </message>
    <message>
        <source>Violence or distress</source>
        <translation>हिंसा या संकट</translation>
    </message>
    <message>
        <source>Other private content</source>
        <translation>अन्य निजी सामग्री</translation>
    </message>
</context>
<context>
    <name>Waits</name>
    <message numerus="yes">
        <source>%n seconds</source>
        <translation>
            <numerusform>%n सेकंड</numerusform>
            <numerusform>%n सेकंड</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minutes</source>
        <translation>
            <numerusform>%n मिनट</numerusform>
            <numerusform>%n मिनट</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hours</source>
        <translation>
            <numerusform>%n घंटा</numerusform>
            <numerusform>%n घंटे</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>The floor hub does not answer. Your decisions are kept on this PC; try again in a moment, or tell IT if it stays like this.</source>
        <translation>फ़्लोर हब जवाब नहीं दे रहा है। आपके निर्णय इस PC पर सुरक्षित हैं; थोड़ी देर में फिर से कोशिश करें, या ऐसा ही बना रहे तो IT को बताएँ।</translation>
    </message>
    <message>
        <source>This PC cannot check that it is talking to the real floor hub, so it sends nothing. Tell IT; your decisions are kept on this PC.</source>
        <translation>यह PC जाँच नहीं पा रहा कि वह असली फ़्लोर हब से ही बात कर रहा है, इसलिए कुछ नहीं भेजता। IT को बताएँ; आपके निर्णय इस PC पर सुरक्षित हैं।</translation>
    </message>
    <message>
        <source>The floor hub gave an answer this app cannot use. Tell IT; your decisions are kept on this PC.</source>
        <translation>फ़्लोर हब ने ऐसा जवाब दिया जिसे यह ऐप इस्तेमाल नहीं कर सकता। IT को बताएँ; आपके निर्णय इस PC पर सुरक्षित हैं।</translation>
    </message>
    <message>
        <source>Something went wrong while starting the shift. Try again; if it repeats, tell IT.</source>
        <translation>शिफ़्ट शुरू करते समय कुछ गड़बड़ हो गई। फिर से कोशिश करें; अगर दोबारा हो, तो IT को बताएँ।</translation>
    </message>
    <message>
        <source>Something on this PC or the hub stops the shift. Tell IT; the details are under “IT details”.</source>
        <translation>इस PC या हब की किसी समस्या से शिफ़्ट रुकी हुई है। IT को बताएँ; विवरण “IT के लिए विवरण” में हैं।</translation>
    </message>
    <message>
        <source>This PC cannot keep clips out of screen recordings, and this floor requires that. Tell IT; they can give you a seat that can.</source>
        <translation>यह PC क्लिप को स्क्रीन रिकॉर्डिंग से बाहर नहीं रख सकता, और इस फ़्लोर पर यह ज़रूरी है। IT को बताएँ; वे आपको ऐसी सीट दे सकते हैं जो यह कर सके।</translation>
    </message>
    <message>
        <source>This PC is not set up for the floor yet. Tell IT.</source>
        <translation>यह PC अभी फ़्लोर के लिए तैयार नहीं है। IT को बताएँ।</translation>
    </message>
    <message>
        <source>This PC has no safe place for a shift&apos;s keys, so clips cannot play here. Tell IT.</source>
        <translation>इस PC पर शिफ़्ट की कुंजियों के लिए कोई सुरक्षित जगह नहीं है, इसलिए यहाँ क्लिप नहीं चल सकतीं। IT को बताएँ।</translation>
    </message>
    <message>
        <source>Too many tries: sign-in is paused for {wait}. Ask a supervisor if you have forgotten the password.</source>
        <translation>बहुत अधिक प्रयास: साइन इन {wait} के लिए रोका गया है। पासवर्ड भूल गए हों तो किसी पर्यवेक्षक से पूछें।</translation>
    </message>
</context>
<context>
    <name>run_app</name>
    <message>
        <source>This PC is not ready for the floor</source>
        <translation>यह PC फ़्लोर के लिए तैयार नहीं है</translation>
    </message>
    <message>
        <source>Clips cannot play on this PC</source>
        <translation>इस PC पर क्लिप नहीं चल सकतीं</translation>
    </message>
    <message>
        <source>The app cannot start</source>
        <translation>ऐप शुरू नहीं हो सकता</translation>
    </message>
</context>
</TS>
