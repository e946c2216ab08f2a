<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ChartModel</name>
    <message numerus="yes">
        <source>%1: %n results from %2 to %3.</source>
        <translation>
            <numerusform>%1: %n results from %2 to %3.</numerusform>
            <numerusform>%1: %n results from %2 to %3.</numerusform>
        </translation>
    </message>
</context>
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
        <source>%n time(s)</source>
        <comment>how often a dose is taken</comment>
        <translation>
            <numerusform>%n time</numerusform>
            <numerusform>%n times</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n second(s)</source>
        <translation>
            <numerusform>every second</numerusform>
            <numerusform>every %n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n minute(s)</source>
        <translation>
            <numerusform>every minute</numerusform>
            <numerusform>every %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n hour(s)</source>
        <translation>
            <numerusform>every hour</numerusform>
            <numerusform>every %n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n day(s)</source>
        <translation>
            <numerusform>every day</numerusform>
            <numerusform>every %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n week(s)</source>
        <translation>
            <numerusform>every week</numerusform>
            <numerusform>every %n weeks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n month(s)</source>
        <translation>
            <numerusform>every month</numerusform>
            <numerusform>every %n months</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n year(s)</source>
        <translation>
            <numerusform>every year</numerusform>
            <numerusform>every %n years</numerusform>
        </translation>
    </message>
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
    <name>ondevice::ui::MainWindow</name>
    <message numerus="yes">
        <source>Syncing: %1 of %Ln record(s)</source>
        <translation>
            <numerusform>Syncing: %1 of %Ln record</numerusform>
            <numerusform>Syncing: %1 of %Ln records</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing: %Ln record(s)</source>
        <translation>
            <numerusform>Syncing: %Ln record</numerusform>
            <numerusform>Syncing: %Ln records</numerusform>
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
