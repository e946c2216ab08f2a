<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ConnectionStatus</name>
    <message numerus="yes">
        <source>Access ends in %n day(s)</source>
        <translation>
            <numerusform>Access ends in %n day</numerusform>
            <numerusform>Access ends in %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResourceRenderer</name>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ondevice::app::Cli</name>
    <message numerus="yes">
        <source>brands: %n, fetched %1</source>
        <translation>
            <numerusform>brands: %n, fetched %1</numerusform>
            <numerusform>brands: %n, fetched %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ondevice::ui::BrandPicker</name>
    <message numerus="yes">
        <source>%n locations</source>
        <translation>
            <numerusform>%n location</numerusform>
            <numerusform>%n locations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n providers in your directories.</source>
        <translation>
            <numerusform>%n provider in your directories.</numerusform>
            <numerusform>%n providers in your directories.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The first %n providers that match “%1”.</source>
        <translation>
            <numerusform>The first provider that matches “%1”.</numerusform>
            <numerusform>The first %n providers that match “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n providers match “%1”.</source>
        <translation>
            <numerusform>%n provider matches “%1”.</numerusform>
            <numerusform>%n providers match “%1”.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ondevice::ui::CategoryModel</name>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ondevice::ui::DirectoriesDialog</name>
    <message numerus="yes">
        <source>%n providers, updated %1</source>
        <translation>
            <numerusform>%n provider, updated %1</numerusform>
            <numerusform>%n providers, updated %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ondevice::ui::LabsChartView</name>
    <message numerus="yes">
        <source>%1 (%n result(s))</source>
        <translation>
            <numerusform>%1 (%n result)</numerusform>
            <numerusform>%1 (%n results)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ondevice::ui::RecordsView</name>
    <message numerus="yes">
        <source>%n record(s) loaded</source>
        <translation>
            <numerusform>%n record loaded</numerusform>
            <numerusform>%n records loaded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n loaded record(s) match</source>
        <translation>
            <numerusform>%1 of %n loaded record match</numerusform>
            <numerusform>%1 of %n loaded records match</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ondevice::ui::SummaryView</name>
    <message numerus="yes">
        <source>Show other identifiers (%n)</source>
        <translation>
            <numerusform>Show other identifiers (%n)</numerusform>
            <numerusform>Show other identifiers (%n)</numerusform>
        </translation>
    </message>
</context>
</TS>
