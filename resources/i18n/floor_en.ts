<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>DashboardController</name>
    <message numerus="yes">
        <source>{who}: %n decisions, {since} – {until} (labels and timings, never video).</source>
        <translation>
            <numerusform>{who}: %n decision, {since} – {until} (labels and timings, never video).</numerusform>
            <numerusform>{who}: %n decisions, {since} – {until} (labels and timings, never video).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n rows to {path}.</source>
        <translation>
            <numerusform>Saved %n row to {path}.</numerusform>
            <numerusform>Saved %n rows to {path}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftController</name>
    <message numerus="yes">
        <source>You have worked %n minutes without a break. Stand up, look away from the screen for a few minutes. The clip is paused; any key goes on.</source>
        <translation>
            <numerusform>You have worked %n minute without a break. Stand up, look away from the screen for a few minutes. The clip is paused; any key goes on.</numerusform>
            <numerusform>You have worked %n minutes without a break. Stand up, look away from the screen for a few minutes. The clip is paused; any key goes on.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n clips are left in this shift. Close anyway? Your decisions are kept, and the shift goes on where you left it at your next sign-in.</source>
        <translation>
            <numerusform>%n clip is left in this shift. Close anyway? Your decisions are kept, and the shift goes on where you left it at your next sign-in.</numerusform>
            <numerusform>%n clips are left in this shift. Close anyway? Your decisions are kept, and the shift goes on where you left it at your next sign-in.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftGuard</name>
    <message numerus="yes">
        <source>The shift locked after %n minutes without input.</source>
        <translation>
            <numerusform>The shift locked after %n minute without input.</numerusform>
            <numerusform>The shift locked after %n minutes without input.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>That is not {name}&apos;s password — %n more tries before a wait of {wait}.</source>
        <translation>
            <numerusform>That is not {name}&apos;s password — %n more try before a wait of {wait}.</numerusform>
            <numerusform>That is not {name}&apos;s password — %n more tries before a wait of {wait}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftStatusBar</name>
    <message numerus="yes">
        <source>%n refused by the hub</source>
        <translation>
            <numerusform>%n refused by the hub</numerusform>
            <numerusform>%n refused by the hub</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to sync</source>
        <translation>
            <numerusform>%n to sync</numerusform>
            <numerusform>%n to sync</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n decisions of other annotators on this seat wait for them to sign in here again.</source>
        <translation>
            <numerusform>%n decision of other annotators on this seat waits for them to sign in here again.</numerusform>
            <numerusform>%n decisions of other annotators on this seat wait for them to sign in here again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Summary</name>
    <message numerus="yes">
        <source>%n decisions are saved here and will reach the hub when it answers.</source>
        <translation>
            <numerusform>%n decision is saved here and will reach the hub when it answers.</numerusform>
            <numerusform>%n decisions are saved here and will reach the hub when it answers.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shift complete — {done} of %n clips decided.</source>
        <translation>
            <numerusform>Shift complete — {done} of %n clip decided.</numerusform>
            <numerusform>Shift complete — {done} of %n clips decided.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Waits</name>
    <message numerus="yes">
        <source>%n seconds</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minutes</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hours</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
</context>
</TS>
