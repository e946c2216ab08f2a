<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>ChartModel</name>
    <message>
        <source>Blood pressure</source>
        <translation>Presión arterial</translation>
    </message>
    <message>
        <source>Systolic</source>
        <translation>Sistólica</translation>
    </message>
    <message>
        <source>Diastolic</source>
        <translation>Diastólica</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a value and its unit</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a series&apos; name and its value</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>No values to chart yet.</source>
        <translation>Todavía no hay valores para el gráfico.</translation>
    </message>
    <message>
        <source>%1: one result, on %2.</source>
        <translation>%1: un resultado, el %2.</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n results from %2 to %3.</source>
        <translation>
            <numerusform>%1: %n resultado del %2 al %3.</numerusform>
            <numerusform>%1: %n resultados del %2 al %3.</numerusform>
        </translation>
    </message>
    <message>
        <source>Latest: %1.</source>
        <translation>Valor más reciente: %1.</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 a %2</translation>
    </message>
    <message>
        <source>Above the reference range (%1).</source>
        <translation>Por encima del rango de referencia (%1).</translation>
    </message>
    <message>
        <source>Below the reference range (%1).</source>
        <translation>Por debajo del rango de referencia (%1).</translation>
    </message>
    <message>
        <source>Within the reference range (%1).</source>
        <translation>Dentro del rango de referencia (%1).</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>%1 — patient %2</source>
        <translation>%1 — paciente %2</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Needs reconnect</source>
        <translation>Debe volver a conectarse</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Sesión cerrada</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Sincronizando</translation>
    </message>
    <message>
        <source>Access ends today</source>
        <translation>El acceso termina hoy</translation>
    </message>
    <message numerus="yes">
        <source>Access ends in %n day(s)</source>
        <translation>
            <numerusform>El acceso termina en %n día</numerusform>
            <numerusform>El acceso termina en %n días</numerusform>
        </translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Al día</translation>
    </message>
    <message>
        <source>%1 ended this app&apos;s access. Your records stay on this computer; reconnect to keep them up to date.</source>
        <translation>%1 terminó el acceso de esta aplicación. Sus registros se quedan en esta computadora; vuelva a conectarse para mantenerlos actualizados.</translation>
    </message>
    <message>
        <source>%1 did not let this app stay signed in: access ends at %2. Reconnect then to keep your records up to date.</source>
        <translation>%1 no permitió que esta aplicación mantuviera la sesión iniciada: el acceso termina a las %2. Vuelva a conectarse en ese momento para mantener sus registros actualizados.</translation>
    </message>
    <message>
        <source>Access to %1 ends on %2. Reconnect before then to keep your records up to date.</source>
        <translation>El acceso a %1 termina el %2. Vuelva a conectarse antes de esa fecha para mantener sus registros actualizados.</translation>
    </message>
</context>
<context>
    <name>IdTokenVerifier</name>
    <message>
        <source>The provider sent an identity token that could not be read.</source>
        <translation>El proveedor envió un token de identidad que no se pudo leer.</translation>
    </message>
    <message>
        <source>The provider&apos;s identity token is signed in a way this app does not accept.</source>
        <translation>El token de identidad del proveedor está firmado de una forma que esta aplicación no acepta.</translation>
    </message>
    <message>
        <source>The provider&apos;s identity token was signed with a key the provider does not publish.</source>
        <translation>El token de identidad del proveedor se firmó con una clave que el proveedor no publica.</translation>
    </message>
    <message>
        <source>The provider&apos;s identity token was not signed by the provider&apos;s published key.</source>
        <translation>El token de identidad del proveedor no se firmó con la clave que publica el proveedor.</translation>
    </message>
    <message>
        <source>The identity token came from a different server than the provider you connected to.</source>
        <translation>El token de identidad viene de un servidor distinto al del proveedor con el que usted se conectó.</translation>
    </message>
    <message>
        <source>The provider&apos;s identity token was issued for a different app.</source>
        <translation>El token de identidad del proveedor se emitió para otra aplicación.</translation>
    </message>
    <message>
        <source>The provider&apos;s identity token has expired. Check that your computer&apos;s date and time are correct.</source>
        <translation>El token de identidad del proveedor está vencido. Verifique que la fecha y la hora de su computadora sean correctas.</translation>
    </message>
    <message>
        <source>The provider&apos;s identity token is dated in the future. Check that your computer&apos;s date and time are correct.</source>
        <translation>El token de identidad del proveedor tiene una fecha futura. Verifique que la fecha y la hora de su computadora sean correctas.</translation>
    </message>
    <message>
        <source>The provider signed in a different person than the one this connection belongs to.</source>
        <translation>El proveedor inició la sesión de una persona distinta a la que corresponde esta conexión.</translation>
    </message>
    <message>
        <source>The provider&apos;s published signing keys could not be used.</source>
        <translation>No se pudieron usar las claves de firma que publica el proveedor.</translation>
    </message>
    <message>
        <source>The provider&apos;s identity token could not be checked.</source>
        <translation>No se pudo verificar el token de identidad del proveedor.</translation>
    </message>
</context>
<context>
    <name>ProviderPresets</name>
    <message>
        <source>Local sandbox (synthetic patients)</source>
        <translation>Entorno de pruebas local (pacientes ficticios)</translation>
    </message>
    <message>
        <source>SMART Health IT launcher (public test server)</source>
        <translation>Lanzador de SMART Health IT (servidor público de pruebas)</translation>
    </message>
    <message>
        <source>Epic on FHIR sandbox (patients)</source>
        <translation>Entorno de pruebas de Epic on FHIR (pacientes)</translation>
    </message>
    <message>
        <source>Oracle Health sandbox (patients)</source>
        <translation>Entorno de pruebas de Oracle Health (pacientes)</translation>
    </message>
    <message>
        <source>The ondevice-sandbox on this computer: no account needed, approve in your browser.</source>
        <translation>El ondevice-sandbox de esta computadora: no necesita una cuenta; apruebe el acceso en su navegador.</translation>
    </message>
    <message>
        <source>A public test server with synthetic patients: pick any patient when it asks.</source>
        <translation>Un servidor público de pruebas con pacientes ficticios: elija cualquier paciente cuando se lo pida.</translation>
    </message>
    <message>
        <source>Needs registration: register a patient-facing app at fhir.epic.com, then enter its non-production client id and the loopback port of its redirect URI. Epic may not let a public app stay signed in.</source>
        <translation>Requiere registro: registre una aplicación para pacientes en fhir.epic.com y luego ingrese su ID de cliente de no producción y el puerto loopback de su URI de redirección. Es posible que Epic no permita que una aplicación pública mantenga la sesión iniciada.</translation>
    </message>
    <message>
        <source>Needs registration: register a patient app in Oracle Health&apos;s Code Console, then enter its client id and the loopback port of its redirect URI.</source>
        <translation>Requiere registro: registre una aplicación para pacientes en la Code Console de Oracle Health y luego ingrese su ID de cliente y el puerto loopback de su URI de redirección.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>OnDevice Health from the command line.

Commands:
  connect --fhir URL --client-id ID [--port N] [--scope S] [--no-browser]
  connect --brand NAME --client-id ID [--fhir URL] ...   a provider from your directories
  directory add URL | remove URL | list | search TEXT [--json]   provider directories (User Access Brands)
  status [--json]              every connection and its state; never a secret
  refresh [ID]                 one silent refresh per connection
  disconnect [ID] [--forget]   sign out (revoke); --forget also deletes the key and records
  sync [ID] [--full]           fetch new and changed records (silent refresh as needed)
  export [ID] --out FILE       the records of a connection as a FHIR R4 collection Bundle
  probe --fhir URL             what a server offers, what the app will do, which known behaviours it shows</source>
        <translation>OnDevice Health desde la línea de comandos.

Comandos:
  connect --fhir URL --client-id ID [--port N] [--scope S] [--no-browser]
  connect --brand NAME --client-id ID [--fhir URL] ...   un proveedor de sus directorios
  directory add URL | remove URL | list | search TEXT [--json]   directorios de proveedores (User Access Brands)
  status [--json]              cada conexión y su estado; nunca un secreto
  refresh [ID]                 una renovación automática por conexión
  disconnect [ID] [--forget]   cerrar sesión (revocar); --forget también borra la clave y los registros
  sync [ID] [--full]           descargar registros nuevos y modificados (con renovación automática si hace falta)
  export [ID] --out FILE       los registros de una conexión como un Bundle FHIR R4 de tipo collection
  probe --fhir URL             qué ofrece un servidor, qué hará la aplicación y qué comportamientos conocidos muestra</translation>
    </message>
    <message>
        <source>The command to run.</source>
        <translation>El comando que se ejecutará.</translation>
    </message>
    <message>
        <source>OnDevice Health</source>
        <translation>OnDevice Health</translation>
    </message>
    <message>
        <source>Your health records, kept on this device.</source>
        <translation>Sus registros de salud, guardados en este dispositivo.</translation>
    </message>
    <message>
        <source>Offer the local ondevice-sandbox at &lt;fhir-base&gt; as the first provider.</source>
        <translation>Ofrecer el ondevice-sandbox local en &lt;fhir-base&gt; como primer proveedor.</translation>
    </message>
    <message>
        <source>OnDevice Health is already running but does not answer.
</source>
        <translation>OnDevice Health ya se está ejecutando, pero no responde.
</translation>
    </message>
    <message>
        <source>The provider sent an unreadable answer.</source>
        <translation>El proveedor envió una respuesta que no se puede leer.</translation>
    </message>
</context>
<context>
    <name>RecordCategories</name>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Problemas de salud</translation>
    </message>
    <message>
        <source>Medications</source>
        <translation>Medicamentos</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <source>Immunizations</source>
        <translation>Vacunas</translation>
    </message>
    <message>
        <source>Labs &amp; Vitals</source>
        <translation>Análisis y signos vitales</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>Procedimientos</translation>
    </message>
    <message>
        <source>Encounters</source>
        <translation>Visitas</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documentos</translation>
    </message>
    <message>
        <source>Care plans</source>
        <translation>Planes de atención</translation>
    </message>
    <message>
        <source>Other records</source>
        <translation>Otros registros</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Problema de salud</translation>
    </message>
    <message>
        <source>Clinical status</source>
        <translation>Estado clínico</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Registrado</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medicamento</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Dosage</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Authored</source>
        <translation>Recetado</translation>
    </message>
    <message>
        <source>Substance</source>
        <translation>Sustancia</translation>
    </message>
    <message>
        <source>Criticality</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Vaccine</source>
        <translation>Vacuna</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Reference range</source>
        <translation>Rango de referencia</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>Indicador</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Procedimiento</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Modalidad</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Período</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Author or description</source>
        <translation>Autor o descripción</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Registro</translation>
    </message>
</context>
<context>
    <name>ResourceRenderer</name>
    <message numerus="yes">
        <source>%n time(s)</source>
        <comment>how often a dose is taken</comment>
        <translation>
            <numerusform>%n vez</numerusform>
            <numerusform>%n veces</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n second(s)</source>
        <translation>
            <numerusform>por segundo</numerusform>
            <numerusform>cada %n segundos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n minute(s)</source>
        <translation>
            <numerusform>por minuto</numerusform>
            <numerusform>cada %n minutos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n hour(s)</source>
        <translation>
            <numerusform>por hora</numerusform>
            <numerusform>cada %n horas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n day(s)</source>
        <translation>
            <numerusform>al día</numerusform>
            <numerusform>cada %n días</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n week(s)</source>
        <translation>
            <numerusform>por semana</numerusform>
            <numerusform>cada %n semanas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n month(s)</source>
        <translation>
            <numerusform>al mes</numerusform>
            <numerusform>cada %n meses</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>every %n year(s)</source>
        <translation>
            <numerusform>al año</numerusform>
            <numerusform>cada %n años</numerusform>
        </translation>
    </message>
    <message>
        <source>every %1 %2</source>
        <translation>cada %1 %2</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a dose: how many times, then how often</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1–%2</source>
        <translation>%1–%2</translation>
    </message>
    <message>
        <source>≥ %1</source>
        <translation>≥ %1</translation>
    </message>
    <message>
        <source>≤ %1</source>
        <translation>≤ %1</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Alto</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Bajo</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>Critically high</source>
        <translation>Críticamente alto</translation>
    </message>
    <message>
        <source>Critically low</source>
        <translation>Críticamente bajo</translation>
    </message>
    <message>
        <source>Abnormal</source>
        <translation>Anormal</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>hasta %1</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>desde %1</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Problema de salud</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medicamento</translation>
    </message>
    <message>
        <source>Allergy or intolerance</source>
        <translation>Alergia o intolerancia</translation>
    </message>
    <message>
        <source>Immunization</source>
        <translation>Vacuna</translation>
    </message>
    <message>
        <source>Observation</source>
        <translation>Observación</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Informe</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Procedimiento</translation>
    </message>
    <message>
        <source>Encounter</source>
        <translation>Visita</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <source>Care plan</source>
        <translation>Plan de atención</translation>
    </message>
    <message>
        <source>Goal</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Care team</source>
        <translation>Equipo de atención</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>Insurance claim</source>
        <translation>Reclamo al seguro</translation>
    </message>
    <message>
        <source>Explanation of benefit</source>
        <translation>Explicación de beneficios</translation>
    </message>
    <message>
        <source>Insurance coverage</source>
        <translation>Cobertura del seguro</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Organización</translation>
    </message>
    <message>
        <source>Clinician</source>
        <translation>Profesional de salud</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>Record history</source>
        <translation>Historial del registro</translation>
    </message>
    <message>
        <source>%1 (not on this device)</source>
        <translation>%1 (no está en este dispositivo)</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n resultado</numerusform>
            <numerusform>%n resultados</numerusform>
        </translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>Sexo</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Reference range</source>
        <translation>Rango de referencia</translation>
    </message>
    <message>
        <source>Interpretation</source>
        <translation>Interpretación</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Clinical status</source>
        <translation>Estado clínico</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>Verificación</translation>
    </message>
    <message>
        <source>Criticality</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Dosage</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>Reacción</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Modalidad</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Período</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Registrado</translation>
    </message>
    <message>
        <source>Authored</source>
        <translation>Fecha de creación</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Fecha de emisión</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personas</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Conclusion</source>
        <translation>Conclusión</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>Archivo adjunto</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Last updated</source>
        <translation>Última actualización</translation>
    </message>
    <message>
        <source>Male</source>
        <comment>a FHIR code</comment>
        <translation>Masculino</translation>
    </message>
    <message>
        <source>Female</source>
        <comment>a FHIR code</comment>
        <translation>Femenino</translation>
    </message>
    <message>
        <source>Other</source>
        <comment>a FHIR code</comment>
        <translation>Otro</translation>
    </message>
    <message>
        <source>Unknown</source>
        <comment>a FHIR code</comment>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>Low</source>
        <comment>a FHIR code</comment>
        <translation>Baja</translation>
    </message>
    <message>
        <source>High</source>
        <comment>a FHIR code</comment>
        <translation>Alta</translation>
    </message>
    <message>
        <source>Unable to assess</source>
        <comment>a FHIR code</comment>
        <translation>No se puede evaluar</translation>
    </message>
    <message>
        <source>Active</source>
        <comment>a FHIR code</comment>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Inactive</source>
        <comment>a FHIR code</comment>
        <translation>Inactivo</translation>
    </message>
    <message>
        <source>On hold</source>
        <comment>a FHIR code</comment>
        <translation>En pausa</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <comment>a FHIR code</comment>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>Completed</source>
        <comment>a FHIR code</comment>
        <translation>Completado</translation>
    </message>
    <message>
        <source>Entered in error</source>
        <comment>a FHIR code</comment>
        <translation>Registrado por error</translation>
    </message>
    <message>
        <source>Stopped</source>
        <comment>a FHIR code</comment>
        <translation>Suspendido</translation>
    </message>
    <message>
        <source>Draft</source>
        <comment>a FHIR code</comment>
        <translation>Borrador</translation>
    </message>
    <message>
        <source>Not done</source>
        <comment>a FHIR code</comment>
        <translation>No realizado</translation>
    </message>
    <message>
        <source>Preparation</source>
        <comment>a FHIR code</comment>
        <translation>En preparación</translation>
    </message>
    <message>
        <source>In progress</source>
        <comment>a FHIR code</comment>
        <translation>En curso</translation>
    </message>
    <message>
        <source>Registered</source>
        <comment>a FHIR code</comment>
        <translation>Registrado</translation>
    </message>
    <message>
        <source>Preliminary</source>
        <comment>a FHIR code</comment>
        <translation>Preliminar</translation>
    </message>
    <message>
        <source>Final</source>
        <comment>a FHIR code</comment>
        <translation>Final</translation>
    </message>
    <message>
        <source>Amended</source>
        <comment>a FHIR code</comment>
        <translation>Modificado</translation>
    </message>
    <message>
        <source>Corrected</source>
        <comment>a FHIR code</comment>
        <translation>Corregido</translation>
    </message>
    <message>
        <source>Partial</source>
        <comment>a FHIR code</comment>
        <translation>Parcial</translation>
    </message>
    <message>
        <source>Appended</source>
        <comment>a FHIR code</comment>
        <translation>Con anexo</translation>
    </message>
    <message>
        <source>Planned</source>
        <comment>a FHIR code</comment>
        <translation>Programado</translation>
    </message>
    <message>
        <source>Arrived</source>
        <comment>a FHIR code</comment>
        <translation>Llegado</translation>
    </message>
    <message>
        <source>Triaged</source>
        <comment>a FHIR code</comment>
        <translation>En triaje</translation>
    </message>
    <message>
        <source>On leave</source>
        <comment>a FHIR code</comment>
        <translation>Con permiso</translation>
    </message>
    <message>
        <source>Finished</source>
        <comment>a FHIR code</comment>
        <translation>Terminado</translation>
    </message>
    <message>
        <source>Revoked</source>
        <comment>a FHIR code</comment>
        <translation>Revocado</translation>
    </message>
    <message>
        <source>Current</source>
        <comment>a FHIR code</comment>
        <translation>Vigente</translation>
    </message>
    <message>
        <source>Superseded</source>
        <comment>a FHIR code</comment>
        <translation>Reemplazado</translation>
    </message>
    <message>
        <source>Intended</source>
        <comment>a FHIR code</comment>
        <translation>Previsto</translation>
    </message>
    <message>
        <source>Not taken</source>
        <comment>a FHIR code</comment>
        <translation>No tomado</translation>
    </message>
    <message>
        <source>Resolved</source>
        <comment>a FHIR code</comment>
        <translation>Resuelto</translation>
    </message>
    <message>
        <source>In remission</source>
        <comment>a FHIR code</comment>
        <translation>En remisión</translation>
    </message>
    <message>
        <source>Recurrence</source>
        <comment>a FHIR code</comment>
        <translation>Recurrencia</translation>
    </message>
    <message>
        <source>Relapse</source>
        <comment>a FHIR code</comment>
        <translation>Recaída</translation>
    </message>
</context>
<context>
    <name>ScopeDescriber</name>
    <message>
        <source>your lab results and vital signs</source>
        <translation>sus resultados de análisis y signos vitales</translation>
    </message>
    <message>
        <source>your conditions and problems</source>
        <translation>sus problemas de salud y diagnósticos</translation>
    </message>
    <message>
        <source>your medications</source>
        <translation>sus medicamentos</translation>
    </message>
    <message>
        <source>your allergies</source>
        <translation>sus alergias</translation>
    </message>
    <message>
        <source>your immunizations</source>
        <translation>sus vacunas</translation>
    </message>
    <message>
        <source>your procedures</source>
        <translation>sus procedimientos</translation>
    </message>
    <message>
        <source>your visits</source>
        <translation>sus visitas</translation>
    </message>
    <message>
        <source>your documents</source>
        <translation>sus documentos</translation>
    </message>
    <message>
        <source>your test reports</source>
        <translation>sus informes de resultados</translation>
    </message>
    <message>
        <source>your care plans</source>
        <translation>sus planes de atención</translation>
    </message>
    <message>
        <source>your name, birth date and contact details</source>
        <translation>su nombre, fecha de nacimiento y datos de contacto</translation>
    </message>
    <message>
        <source>your insurance and billing records</source>
        <translation>sus registros de seguro y facturación</translation>
    </message>
    <message>
        <source>your %1 records</source>
        <translation>sus registros de tipo %1</translation>
    </message>
    <message>
        <source>Know who you are</source>
        <translation>Saber quién es usted</translation>
    </message>
    <message>
        <source>Stay connected when you are not using the app</source>
        <translation>Mantener la conexión cuando usted no esté usando la aplicación</translation>
    </message>
    <message>
        <source>Stay connected while you are using the app</source>
        <translation>Mantener la conexión mientras usted usa la aplicación</translation>
    </message>
    <message>
        <source>Know which patient&apos;s records to show</source>
        <translation>Saber de qué paciente mostrar los registros</translation>
    </message>
    <message>
        <source>Know which visit to show</source>
        <translation>Saber qué visita mostrar</translation>
    </message>
    <message>
        <source>Another permission: %1</source>
        <translation>Otro permiso: %1</translation>
    </message>
    <message>
        <source>all your records</source>
        <translation>todos sus registros</translation>
    </message>
    <message>
        <source>all records your account can see</source>
        <translation>todos los registros que su cuenta puede ver</translation>
    </message>
    <message>
        <source>some of %1</source>
        <translation>parte de %1</translation>
    </message>
    <message>
        <source>%1 (only %2)</source>
        <translation>%1 (solo %2)</translation>
    </message>
    <message>
        <source>Read %1</source>
        <translation>Ver %1</translation>
    </message>
    <message>
        <source>Add to or change %1</source>
        <translation>Agregar o cambiar %1</translation>
    </message>
    <message>
        <source>Read and change %1</source>
        <translation>Ver y cambiar %1</translation>
    </message>
</context>
<context>
    <name>ondevice::app::Cli</name>
    <message>
        <source>Unknown command: %1</source>
        <translation>Comando desconocido: %1</translation>
    </message>
    <message>
        <source>No connection has the id %1. `ondevice-cli status` lists them.</source>
        <translation>Ninguna conexión tiene el ID %1. `ondevice-cli status` las muestra.</translation>
    </message>
    <message>
        <source>There are %1 connections; name one (see `ondevice-cli status`).</source>
        <translation>Hay %1 conexiones; indique una (consulte `ondevice-cli status`).</translation>
    </message>
    <message>
        <source>No providers connected.</source>
        <translation>No hay proveedores conectados.</translation>
    </message>
    <message>
        <source>The key to this connection&apos;s records could not be read from %1: %2</source>
        <translation>No se pudo leer de %1 la clave de los registros de esta conexión: %2</translation>
    </message>
    <message>
        <source>FHIR base URL.</source>
        <translation>URL base de FHIR.</translation>
    </message>
    <message>
        <source>Registered client id.</source>
        <translation>ID de cliente registrado.</translation>
    </message>
    <message>
        <source>Registered loopback port (0 = any).</source>
        <translation>Puerto loopback registrado (0 = cualquiera).</translation>
    </message>
    <message>
        <source>Scopes to request.</source>
        <translation>Ámbitos que se solicitarán.</translation>
    </message>
    <message>
        <source>Do not open a browser; only print the URL.</source>
        <translation>No abrir un navegador; solo mostrar la URL.</translation>
    </message>
    <message>
        <source>A provider by its name (or alias) in the directories added with `directory add`.</source>
        <translation>Un proveedor por su nombre (o alias) en los directorios agregados con `directory add`.</translation>
    </message>
    <message>
        <source>connect needs --fhir URL (or --brand NAME) and --client-id ID</source>
        <translation>connect necesita --fhir URL (o --brand NAME) y --client-id ID</translation>
    </message>
    <message>
        <source>No provider in your directories is called %1. `ondevice-cli directory search` lists them.</source>
        <translation>Ningún proveedor de sus directorios se llama %1. `ondevice-cli directory search` los muestra.</translation>
    </message>
    <message>
        <source>%1 names more than one provider:</source>
        <translation>%1 corresponde a más de un proveedor:</translation>
    </message>
    <message>
        <source>%1 offers no FHIR endpoint this app can connect to; its portal is %2.</source>
        <translation>%1 no ofrece ningún punto de conexión FHIR al que esta aplicación pueda conectarse; su portal es %2.</translation>
    </message>
    <message>
        <source>not listed</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>%1 has several FHIR endpoints; pick one with --fhir:</source>
        <translation>%1 tiene varios puntos de conexión FHIR; elija uno con --fhir:</translation>
    </message>
    <message>
        <source>--port must be 0..65535</source>
        <translation>--port debe estar entre 0 y 65535</translation>
    </message>
    <message>
        <source>Opening your browser to sign in. If it does not open, visit:</source>
        <translation>Abriendo su navegador para iniciar sesión. Si no se abre, visite:</translation>
    </message>
    <message>
        <source>Visit this address to sign in:</source>
        <translation>Visite esta dirección para iniciar sesión:</translation>
    </message>
    <message>
        <source>The provider did not allow staying signed in: you will need to sign in again after %1.</source>
        <translation>El proveedor no permitió mantener la sesión iniciada: tendrá que volver a iniciar sesión después de %1.</translation>
    </message>
    <message>
        <source>Print JSON (schema: docs/cli.md).</source>
        <translation>Mostrar JSON (esquema: docs/cli.md).</translation>
    </message>
    <message>
        <source>Connection id (default: all).</source>
        <translation>ID de la conexión (predeterminado: todas).</translation>
    </message>
    <message>
        <source>refreshed; access until %1</source>
        <translation>renovado; acceso hasta %1</translation>
    </message>
    <message>
        <source>Also delete the key to this connection&apos;s records, and the records.</source>
        <translation>Borrar también la clave de los registros de esta conexión, y los registros.</translation>
    </message>
    <message>
        <source>Connection id (required when there are several).</source>
        <translation>ID de la conexión (obligatorio cuando hay varias).</translation>
    </message>
    <message>
        <source>access revoked at the provider</source>
        <translation>acceso revocado en el proveedor</translation>
    </message>
    <message>
        <source>the provider could not be reached, so its access may still be live there</source>
        <translation>no se pudo contactar al proveedor, así que es posible que el acceso siga activo allí</translation>
    </message>
    <message>
        <source>this provider offers no way for apps to end access</source>
        <translation>este proveedor no ofrece a las aplicaciones ninguna forma de terminar el acceso</translation>
    </message>
    <message>
        <source>  end it at: %1</source>
        <translation>  termínelo en: %1</translation>
    </message>
    <message>
        <source>sign-in, key, records and connection deleted from this device</source>
        <translation>inicio de sesión, clave, registros y conexión borrados de este dispositivo</translation>
    </message>
    <message>
        <source>signed out; records stay readable on this device</source>
        <translation>sesión cerrada; los registros se pueden seguir leyendo en este dispositivo</translation>
    </message>
    <message>
        <source>Fetch everything again and remove what the provider no longer has.</source>
        <translation>Volver a descargar todo y quitar lo que el proveedor ya no tenga.</translation>
    </message>
    <message>
        <source>Resources per page (default: as many as the provider gives, up to 1000).</source>
        <translation>Recursos por página (predeterminado: tantos como dé el proveedor, hasta 1000).</translation>
    </message>
    <message>
        <source>How to fetch: auto (searches per type side by side where the provider offers them, else Patient/$everything), per-type, or everything (one Patient/$everything chain).</source>
        <translation>Cómo descargar: auto (búsquedas por tipo en paralelo donde el proveedor las ofrece; si no, Patient/$everything), per-type o everything (una sola cadena de Patient/$everything).</translation>
    </message>
    <message>
        <source>--through is auto, per-type or everything, not %1</source>
        <translation>--through debe ser auto, per-type o everything, no %1</translation>
    </message>
    <message>
        <source>not shared</source>
        <translation>no compartido</translation>
    </message>
    <message>
        <source>not offered by this provider</source>
        <translation>no lo ofrece este proveedor</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>falló: %1</translation>
    </message>
    <message>
        <source>not finished</source>
        <translation>sin terminar</translation>
    </message>
    <message>
        <source>, %1 removed</source>
        <translation>, eliminados: %1</translation>
    </message>
    <message>
        <source>%1 resources in %2 s</source>
        <translation>%1 recursos en %2 s</translation>
    </message>
    <message>
        <source>Where to write the FHIR Bundle.</source>
        <translation>Dónde escribir el Bundle FHIR.</translation>
    </message>
    <message>
        <source>export needs --out FILE</source>
        <translation>export necesita --out FILE</translation>
    </message>
    <message>
        <source>%1 resources written to %2</source>
        <translation>%1 recursos escritos en %2</translation>
    </message>
    <message>
        <source>Machine-readable output.</source>
        <translation>Salida legible por máquina.</translation>
    </message>
    <message>
        <source>add URL | remove URL | list | search TEXT</source>
        <translation>add URL | remove URL | list | search TEXT</translation>
    </message>
    <message>
        <source>%1 is not one of the directories.</source>
        <translation>%1 no es uno de los directorios.</translation>
    </message>
    <message numerus="yes">
        <source>brands: %n, fetched %1</source>
        <translation>
            <numerusform>proveedores: %n, descargado %1</numerusform>
            <numerusform>proveedores: %n, descargado %1</numerusform>
        </translation>
    </message>
    <message>
        <source>not fetched yet</source>
        <translation>aún no descargado</translation>
    </message>
    <message>
        <source>directory needs: add URL | remove URL | list | search TEXT [--json]</source>
        <translation>directory necesita: add URL | remove URL | list | search TEXT [--json]</translation>
    </message>
    <message>
        <source>(no FHIR endpoint: use its portal)</source>
        <translation>(sin punto de conexión FHIR: use su portal)</translation>
    </message>
    <message>
        <source>probe needs --fhir URL</source>
        <translation>probe necesita --fhir URL</translation>
    </message>
    <message>
        <source>Sign-in:        cannot be used: %1</source>
        <translation>Inicio de sesión:   no se puede usar: %1</translation>
    </message>
    <message>
        <source>Server:         %1</source>
        <translation>Servidor:           %1</translation>
    </message>
    <message>
        <source> (FHIR %1%2)</source>
        <translation> (FHIR %1%2)</translation>
    </message>
    <message>
        <source>Sign-in:        SMART App Launch at %1, as a public client with PKCE (S256)%2</source>
        <translation>Inicio de sesión:   SMART App Launch en %1, como cliente público con PKCE (S256)%2</translation>
    </message>
    <message>
        <source>, found through the CapabilityStatement</source>
        <translation>, encontrado mediante el CapabilityStatement</translation>
    </message>
    <message>
        <source>Stays signed in: %1</source>
        <translation>Sesión persistente: %1</translation>
    </message>
    <message>
        <source>offered (refresh tokens, kept in %1)</source>
        <translation>se ofrece (tokens de actualización, guardados en %1)</translation>
    </message>
    <message>
        <source>not offered: you would sign in again when access ends</source>
        <translation>no se ofrece: tendría que volver a iniciar sesión cuando termine el acceso</translation>
    </message>
    <message>
        <source>Ending access:  %1</source>
        <translation>Fin del acceso:     %1</translation>
    </message>
    <message>
        <source>sign-out revokes the app&apos;s access at the provider</source>
        <translation>cerrar sesión revoca el acceso de la aplicación en el proveedor</translation>
    </message>
    <message>
        <source>no revocation: sign-out deletes the token here; end access in the provider&apos;s portal</source>
        <translation>sin revocación: cerrar sesión borra el token aquí; termine el acceso en el portal del proveedor</translation>
    </message>
    <message>
        <source>Mix-up defence: %1</source>
        <translation>Defensa mix-up:     %1</translation>
    </message>
    <message>
        <source>the server names itself in every sign-in answer (RFC 9207), and the app checks it</source>
        <translation>el servidor se identifica en cada respuesta de inicio de sesión (RFC 9207) y la aplicación lo verifica</translation>
    </message>
    <message>
        <source>the server does not promise to name itself in sign-in answers (RFC 9207); a name it sends is still checked</source>
        <translation>el servidor no promete identificarse en las respuestas de inicio de sesión (RFC 9207); si envía su nombre, igual se verifica</translation>
    </message>
    <message>
        <source>Token binding:  %1</source>
        <translation>Vínculo del token:  %1</translation>
    </message>
    <message>
        <source>DPoP offered (%1): tokens can be bound to a key made on this computer</source>
        <translation>se ofrece DPoP (%1): los tokens pueden vincularse a una clave creada en esta computadora</translation>
    </message>
    <message>
        <source>no DPoP: plain Bearer tokens, usable by whoever holds them</source>
        <translation>sin DPoP: tokens Bearer simples, que puede usar cualquiera que los tenga</translation>
    </message>
    <message>
        <source>Client:         %1</source>
        <translation>Cliente:            %1</translation>
    </message>
    <message>
        <source>a client registered for this computer, signing its token requests with a key made here (RFC 7591, private_key_jwt)</source>
        <translation>un cliente registrado para esta computadora, que firma sus solicitudes de tokens con una clave creada aquí (RFC 7591, private_key_jwt)</translation>
    </message>
    <message>
        <source>a client registered with the first access token, then JWT-bearer grants signed with a key made here (no refresh token)</source>
        <translation>un cliente registrado con el primer token de acceso, y luego concesiones JWT-bearer firmadas con una clave creada aquí (sin token de actualización)</translation>
    </message>
    <message>
        <source>the published public client (no registration offered)</source>
        <translation>el cliente público publicado (no se ofrece registro)</translation>
    </message>
    <message>
        <source>Scopes:         %1</source>
        <translation>Ámbitos:            %1</translation>
    </message>
    <message>
        <source>Records:        the FHIR server could not be read: %1</source>
        <translation>Registros:          no se pudo leer el servidor FHIR: %1</translation>
    </message>
    <message>
        <source>Records:        %1</source>
        <translation>Registros:          %1</translation>
    </message>
    <message>
        <source>Patient/$everything (one chain of pages)</source>
        <translation>Patient/$everything (una cadena de páginas)</translation>
    </message>
    <message>
        <source>one search per type (no Patient/$everything)</source>
        <translation>una búsqueda por tipo (sin Patient/$everything)</translation>
    </message>
    <message>
        <source>the SMART launcher&apos;s FHIR base with launch options: used as given</source>
        <translation>la base FHIR del lanzador SMART con opciones de lanzamiento: se usa tal cual</translation>
    </message>
    <message>
        <source>no revocation endpoint: sign-out deletes the token here only</source>
        <translation>sin punto de conexión de revocación: cerrar sesión solo borra el token aquí</translation>
    </message>
    <message>
        <source>refresh_token not listed among grant types: refresh is tried anyway</source>
        <translation>refresh_token no figura entre los tipos de concesión (grant types): igual se intenta renovar</translation>
    </message>
    <message>
        <source>no Patient/$everything: one search per type</source>
        <translation>sin Patient/$everything: una búsqueda por tipo</translation>
    </message>
    <message>
        <source>401 as plain text without WWW-Authenticate: read as an expired access token</source>
        <translation>401 como texto simple sin WWW-Authenticate: se interpreta como un token de acceso vencido</translation>
    </message>
    <message>
        <source>no Date header: incremental syncs start from the newest record&apos;s lastUpdated</source>
        <translation>sin encabezado Date: las sincronizaciones incrementales empiezan desde el lastUpdated del registro más reciente</translation>
    </message>
    <message>
        <source>a Date header far from this computer&apos;s clock: not used as a sync bound</source>
        <translation>un encabezado Date muy distinto del reloj de esta computadora: no se usa como límite de sincronización</translation>
    </message>
    <message>
        <source>DPoP algorithms only in the issuer&apos;s own metadata: read from there</source>
        <translation>algoritmos DPoP solo en los metadatos propios del emisor: se leen de allí</translation>
    </message>
    <message>
        <source>Known behaviours seen: %1</source>
        <translation>Comportamientos conocidos observados: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Found only after sign-in, and worked around by the sync (with a note): a category required per search, _lastUpdated refused or ignored, outcome entries, narrow scopes, types outside the plan.</source>
        <translation>Se detectan solo después de iniciar sesión, y la sincronización los resuelve (con una nota): una categoría obligatoria en cada búsqueda, _lastUpdated rechazado o ignorado, entradas de tipo outcome, ámbitos limitados, tipos fuera del plan.</translation>
    </message>
    <message>
        <source>This app reads FHIR R4 (4.0.x); this server speaks FHIR %1.</source>
        <translation>Esta aplicación lee FHIR R4 (4.0.x); este servidor usa FHIR %1.</translation>
    </message>
    <message>
        <source>OnDevice Health can connect to this server.</source>
        <translation>OnDevice Health puede conectarse a este servidor.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::ClientRegistration</name>
    <message>
        <source>The provider&apos;s answer to registering this computer could not be used, so nothing was stored.</source>
        <translation>No se pudo usar la respuesta del proveedor al registro de esta computadora, así que no se guardó nada.</translation>
    </message>
    <message>
        <source>This computer&apos;s key for the provider could not sign the request, so nothing was sent.</source>
        <translation>La clave de esta computadora para el proveedor no pudo firmar la solicitud, así que no se envió nada.</translation>
    </message>
    <message>
        <source>The provider no longer knows this computer&apos;s registration. Reconnect to continue; your records stay on this device.</source>
        <translation>El proveedor ya no reconoce el registro de esta computadora. Vuelva a conectarse para continuar; sus registros se quedan en este dispositivo.</translation>
    </message>
    <message>
        <source>The provider refused to register this computer (%1).</source>
        <translation>El proveedor se negó a registrar esta computadora (%1).</translation>
    </message>
    <message>
        <source>The provider gave no way to delete this computer&apos;s registration.</source>
        <translation>El proveedor no ofreció ninguna forma de borrar el registro de esta computadora.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::ConnectionManager</name>
    <message>
        <source>The connection was cancelled.</source>
        <translation>Se canceló la conexión.</translation>
    </message>
    <message>
        <source>A new connection replaced this one.</source>
        <translation>Una nueva conexión reemplazó a esta.</translation>
    </message>
    <message>
        <source>OnDevice Health could not make a key for this computer.</source>
        <translation>OnDevice Health no pudo crear una clave para esta computadora.</translation>
    </message>
    <message>
        <source>The provider sent an identity token that cannot be checked (it publishes no signing keys), so nothing was stored.</source>
        <translation>El proveedor envió un token de identidad que no se puede verificar (no publica claves de firma), así que no se guardó nada.</translation>
    </message>
    <message>
        <source>The provider&apos;s signing keys could not be fetched, so its identity token cannot be checked. Nothing was stored.</source>
        <translation>No se pudieron obtener las claves de firma del proveedor, así que no se puede verificar su token de identidad. No se guardó nada.</translation>
    </message>
    <message>
        <source>The provider&apos;s identity token failed a check (%1), so nothing was stored and the access it granted was revoked where possible.</source>
        <translation>El token de identidad del proveedor no pasó una verificación (%1), así que no se guardó nada y, donde fue posible, se revocó el acceso que otorgó.</translation>
    </message>
    <message>
        <source>The provider did not say whose records this sign-in is for, so nothing was stored.</source>
        <translation>El proveedor no indicó de quién son los registros de este inicio de sesión, así que no se guardó nada.</translation>
    </message>
    <message>
        <source>This sign-in is for %1, not for %2 as before. Nothing was replaced. To add it as another connection, use Connect a provider.</source>
        <translation>Este inicio de sesión es para %1, no para %2 como antes. No se reemplazó nada. Para agregarlo como otra conexión, use Conectar un proveedor.</translation>
    </message>
    <message>
        <source>patient %1</source>
        <translation>el paciente %1</translation>
    </message>
    <message>
        <source>user %1</source>
        <translation>el usuario %1</translation>
    </message>
    <message>
        <source>The provider did not say who signed in, which staying connected this way needs. Nothing was stored.</source>
        <translation>El proveedor no indicó quién inició sesión, y eso es necesario para mantener la conexión de esta forma. No se guardó nada.</translation>
    </message>
    <message>
        <source>The provider answered for another patient than the one you signed in as. Nothing was stored.</source>
        <translation>El proveedor respondió por un paciente distinto al paciente con el que usted inició sesión. No se guardó nada.</translation>
    </message>
    <message>
        <source>%1 could not be saved in %2: %3</source>
        <translation>%1 no se pudo guardar en %2: %3</translation>
    </message>
    <message>
        <source>This computer&apos;s key for the connection</source>
        <translation>La clave de esta computadora para la conexión</translation>
    </message>
    <message>
        <source>This computer&apos;s registration at the provider</source>
        <translation>El registro de esta computadora en el proveedor</translation>
    </message>
    <message>
        <source>The sign-in</source>
        <translation>El inicio de sesión</translation>
    </message>
    <message>
        <source>The key to this connection&apos;s records could not be read from %1: %2</source>
        <translation>No se pudo leer de %1 la clave de los registros de esta conexión: %2</translation>
    </message>
    <message>
        <source>The key to your records</source>
        <translation>La clave de sus registros</translation>
    </message>
    <message>
        <source>OnDevice Health is now connected to %1 and can keep your records up to date.</source>
        <translation>OnDevice Health ya está conectado a %1 y puede mantener sus registros actualizados.</translation>
    </message>
    <message>
        <source>OnDevice Health is now connected to %1. The provider did not let it stay signed in: you will sign in again when this access ends.</source>
        <translation>OnDevice Health ya está conectado a %1. El proveedor no le permitió mantener la sesión iniciada: tendrá que volver a iniciar sesión cuando termine este acceso.</translation>
    </message>
    <message>
        <source>There is no such connection.</source>
        <translation>No existe esa conexión.</translation>
    </message>
    <message>
        <source>The sign-in could not be removed from %1: %2</source>
        <translation>No se pudo quitar el inicio de sesión de %1: %2</translation>
    </message>
    <message>
        <source>You are signed out (the sign-in was deleted), but the list of connections could not be updated: %1</source>
        <translation>Se cerró su sesión (se borró el inicio de sesión), pero no se pudo actualizar la lista de conexiones: %1</translation>
    </message>
    <message>
        <source>Could not reach the provider to end access. Nothing was changed; try again when online.</source>
        <translation>No se pudo contactar al proveedor para terminar el acceso. No se cambió nada; inténtelo de nuevo cuando tenga conexión a internet.</translation>
    </message>
    <message>
        <source>The key to this connection&apos;s records could not be removed from %1: %2</source>
        <translation>No se pudo quitar de %1 la clave de los registros de esta conexión: %2</translation>
    </message>
    <message>
        <source>This computer&apos;s key for the connection could not be removed from %1: %2</source>
        <translation>No se pudo quitar de %1 la clave de esta computadora para la conexión: %2</translation>
    </message>
    <message>
        <source>This computer&apos;s registration could not be removed from %1: %2</source>
        <translation>No se pudo quitar de %1 el registro de esta computadora: %2</translation>
    </message>
    <message>
        <source>%1 was saved in %2, but reading it back gave something else.</source>
        <translation>%1 se guardó en %2, pero al volver a leer lo guardado se obtuvo algo distinto.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::ConnectionRegistry</name>
    <message>
        <source>The list of connected providers (%1) could not be read. It has been left as it is.</source>
        <translation>No se pudo leer la lista de proveedores conectados (%1). Se dejó como estaba.</translation>
    </message>
    <message>
        <source>The list of connected providers (%1) could not be saved.</source>
        <translation>No se pudo guardar la lista de proveedores conectados (%1).</translation>
    </message>
    <message>
        <source>Another OnDevice Health process is busy with the list of providers. Try again in a moment.</source>
        <translation>Otro proceso de OnDevice Health está usando la lista de proveedores. Inténtelo de nuevo en un momento.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::DeviceKey</name>
    <message>
        <source>This connection&apos;s key on this computer could not be read; reconnect to make a new one.</source>
        <translation>No se pudo leer la clave de esta conexión en esta computadora; vuelva a conectarse para crear una nueva.</translation>
    </message>
    <message>
        <source>A key for this connection could not be made on this computer.</source>
        <translation>No se pudo crear en esta computadora una clave para esta conexión.</translation>
    </message>
    <message>
        <source>This connection&apos;s key could not sign a request.</source>
        <translation>La clave de esta conexión no pudo firmar una solicitud.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::Jwt</name>
    <message>
        <source>The provider sent an identity token that could not be read.</source>
        <translation>El proveedor envió un token de identidad que no se pudo leer.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::LoopbackReplyHandler</name>
    <message>
        <source>This sign-in took too long and was stopped. Start again from OnDevice Health.</source>
        <translation>Este inicio de sesión tardó demasiado y se detuvo. Empiece de nuevo desde OnDevice Health.</translation>
    </message>
    <message>
        <source>OnDevice Health stopped waiting for this sign-in.</source>
        <translation>OnDevice Health dejó de esperar este inicio de sesión.</translation>
    </message>
    <message>
        <source>Could not open a local port for the sign-in (%1).</source>
        <translation>No se pudo abrir un puerto local para el inicio de sesión (%1).</translation>
    </message>
    <message>
        <source>Port %1 on this computer is in use, and this provider only accepts sign-ins on that port. Close the program using it and try again.</source>
        <translation>El puerto %1 de esta computadora está en uso, y este proveedor solo acepta inicios de sesión en ese puerto. Cierre el programa que lo está usando e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>The sign-in was cancelled in OnDevice Health.</source>
        <translation>Se canceló el inicio de sesión en OnDevice Health.</translation>
    </message>
    <message>
        <source>This request is too large.</source>
        <translation>Esta solicitud es demasiado grande.</translation>
    </message>
    <message>
        <source>Not found.</source>
        <translation>No se encontró.</translation>
    </message>
    <message>
        <source>This sign-in response does not belong to the sign-in OnDevice Health is waiting for. Nothing was sent to your provider. Start again from OnDevice Health if needed.</source>
        <translation>Esta respuesta de inicio de sesión no corresponde al inicio de sesión que OnDevice Health está esperando. No se envió nada a su proveedor. Si es necesario, empiece de nuevo desde OnDevice Health.</translation>
    </message>
    <message>
        <source>The answer to this sign-in did not come from the server you chose to connect to, so it was not used and nothing was stored. Start the connection again; if this repeats, tell your provider.</source>
        <translation>La respuesta a este inicio de sesión no vino del servidor al que usted eligió conectarse, así que no se usó y no se guardó nada. Vuelva a iniciar la conexión; si esto se repite, avísele a su proveedor.</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>No conectado</translation>
    </message>
    <message>
        <source>You can close this tab and return to OnDevice Health.</source>
        <translation>Puede cerrar esta pestaña y volver a OnDevice Health.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::RefreshLock</name>
    <message>
        <source>OnDevice Health could not use its data folder.</source>
        <translation>OnDevice Health no pudo usar su carpeta de datos.</translation>
    </message>
    <message>
        <source>Another OnDevice Health process has been using this connection&apos;s sign-in for too long.</source>
        <translation>Otro proceso de OnDevice Health lleva demasiado tiempo usando el inicio de sesión de esta conexión.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::SecretStore</name>
    <message>
        <source>macOS Keychain</source>
        <translation>Llavero de macOS</translation>
    </message>
    <message>
        <source>Windows Credential Manager</source>
        <translation>Administrador de credenciales de Windows</translation>
    </message>
    <message>
        <source>Secret Service (GNOME Keyring or KWallet)</source>
        <translation>Secret Service (GNOME Keyring o KWallet)</translation>
    </message>
    <message>
        <source>%1 stopped answering earlier; restart the app once it is unlocked and working.</source>
        <translation>%1 dejó de responder hace un rato; reinicie la aplicación cuando esté desbloqueado y funcionando.</translation>
    </message>
    <message>
        <source>No Secret Service session was found, so %1 cannot be used. Log in to a desktop session with GNOME Keyring or KWallet running.</source>
        <translation>No se encontró ninguna sesión de Secret Service, así que no se puede usar %1. Inicie sesión en un escritorio que tenga GNOME Keyring o KWallet en ejecución.</translation>
    </message>
    <message>
        <source>%1 did not answer. It may be locked or waiting for a prompt that cannot be shown.</source>
        <translation>%1 no respondió. Puede estar bloqueado o esperando una confirmación que no se puede mostrar.</translation>
    </message>
    <message>
        <source>The item in %1 is empty.</source>
        <translation>El elemento en %1 está vacío.</translation>
    </message>
    <message>
        <source>Nothing is kept for this session.</source>
        <translation>No se guarda nada para esta sesión.</translation>
    </message>
    <message>
        <source>The item was not found in %1. It may have been removed, or the keyring may be locked.</source>
        <translation>No se encontró el elemento en %1. Es posible que se haya quitado o que el llavero esté bloqueado.</translation>
    </message>
    <message>
        <source>Access to %1 was refused.</source>
        <translation>Se denegó el acceso a %1.</translation>
    </message>
    <message>
        <source>%1 is not available on this computer, so nothing can be stored safely.</source>
        <translation>%1 no está disponible en esta computadora, así que no se puede guardar nada de forma segura.</translation>
    </message>
    <message>
        <source>%1 reported an error.</source>
        <translation>%1 informó un error.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::Session</name>
    <message>
        <source>Stopped.</source>
        <translation>Detenido.</translation>
    </message>
    <message>
        <source>You signed out of this provider. Reconnect to continue.</source>
        <translation>Usted cerró la sesión en este proveedor. Vuelva a conectarse para continuar.</translation>
    </message>
    <message>
        <source>This provider did not allow staying signed in. Reconnect to continue; your records stay on this device.</source>
        <translation>Este proveedor no permitió mantener la sesión iniciada. Vuelva a conectarse para continuar; sus registros se quedan en este dispositivo.</translation>
    </message>
    <message>
        <source>This computer&apos;s key for %1 is no longer in %2. Reconnect to continue; your records stay on this device.</source>
        <translation>La clave de esta computadora para %1 ya no está en %2. Vuelva a conectarse para continuar; sus registros se quedan en este dispositivo.</translation>
    </message>
    <message>
        <source>This computer&apos;s key for %1 is not the one the sign-in is bound to. Reconnect to continue; your records stay on this device.</source>
        <translation>La clave de esta computadora para %1 no es la clave a la que está vinculado el inicio de sesión. Vuelva a conectarse para continuar; sus registros se quedan en este dispositivo.</translation>
    </message>
    <message>
        <source>This connection&apos;s key is not loaded.</source>
        <translation>La clave de esta conexión no está cargada.</translation>
    </message>
    <message>
        <source>The sign-in for %1 could not be read from %2: %3</source>
        <translation>No se pudo leer de %2 el inicio de sesión de %1: %3</translation>
    </message>
    <message>
        <source>This connection&apos;s sign-in was ended. Reconnect to continue; your records stay on this device.</source>
        <translation>Se terminó la sesión de esta conexión. Vuelva a conectarse para continuar; sus registros se quedan en este dispositivo.</translation>
    </message>
    <message>
        <source>The sign-in for %1 is no longer in %2. Reconnect to continue; your records stay on this device.</source>
        <translation>El inicio de sesión de %1 ya no está en %2. Vuelva a conectarse para continuar; sus registros se quedan en este dispositivo.</translation>
    </message>
    <message>
        <source>The provider now answers for another patient than this connection&apos;s. Reconnect to continue.</source>
        <translation>El proveedor ahora responde por un paciente distinto al de esta conexión. Vuelva a conectarse para continuar.</translation>
    </message>
    <message>
        <source>The provider&apos;s identity token names someone else than this connection&apos;s patient. Reconnect to continue.</source>
        <translation>El token de identidad del proveedor nombra a una persona distinta del paciente de esta conexión. Vuelva a conectarse para continuar.</translation>
    </message>
    <message>
        <source>The renewed sign-in could not be saved in %1 (%2). You will need to reconnect.</source>
        <translation>No se pudo guardar en %1 el inicio de sesión renovado (%2). Tendrá que volver a conectarse.</translation>
    </message>
    <message>
        <source>%1 did not keep the renewed sign-in. You will need to reconnect.</source>
        <translation>%1 no conservó el inicio de sesión renovado. Tendrá que volver a conectarse.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::SmartConfiguration</name>
    <message>
        <source>The server&apos;s SMART configuration could not be read.</source>
        <translation>No se pudo leer la configuración SMART del servidor.</translation>
    </message>
    <message>
        <source>This address does not look like a FHIR server.</source>
        <translation>Esta dirección no parece ser de un servidor FHIR.</translation>
    </message>
    <message>
        <source>This server does not say where to sign in, so OnDevice Health cannot connect to it.</source>
        <translation>Este servidor no indica dónde iniciar sesión, así que OnDevice Health no puede conectarse a él.</translation>
    </message>
    <message>
        <source>This server does not offer PKCE (S256), which OnDevice Health needs to connect safely.</source>
        <translation>Este servidor no ofrece PKCE (S256), que OnDevice Health necesita para conectarse de forma segura.</translation>
    </message>
    <message>
        <source>This server does not use a secure (https) connection, so OnDevice Health will not send your sign-in to it.</source>
        <translation>Este servidor no usa una conexión segura (https), así que OnDevice Health no le enviará su inicio de sesión.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::SmartDiscovery</name>
    <message>
        <source>That is not a web address of a FHIR server.</source>
        <translation>Esa no es la dirección web de un servidor FHIR.</translation>
    </message>
    <message>
        <source>This server does not publish a SMART configuration, so OnDevice Health cannot connect to it.</source>
        <translation>Este servidor no publica una configuración SMART, así que OnDevice Health no puede conectarse a él.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::SmartLaunch</name>
    <message>
        <source>The sign-in was cancelled.</source>
        <translation>Se canceló el inicio de sesión.</translation>
    </message>
    <message>
        <source>A new sign-in replaced this one.</source>
        <translation>Un nuevo inicio de sesión reemplazó a este.</translation>
    </message>
    <message>
        <source>The sign-in did not complete.</source>
        <translation>El inicio de sesión no se completó.</translation>
    </message>
    <message>
        <source>Access was not granted. Nothing was stored. You can try again at any time.</source>
        <translation>No se otorgó el acceso. No se guardó nada. Puede intentarlo de nuevo en cualquier momento.</translation>
    </message>
    <message>
        <source>The provider refused the sign-in (%1).</source>
        <translation>El proveedor rechazó el inicio de sesión (%1).</translation>
    </message>
    <message>
        <source>The sign-in failed.</source>
        <translation>El inicio de sesión falló.</translation>
    </message>
    <message>
        <source>No answer came back from the browser in time. Start the connection again.</source>
        <translation>No llegó ninguna respuesta del navegador a tiempo. Vuelva a iniciar la conexión.</translation>
    </message>
</context>
<context>
    <name>ondevice::auth::TokenResponse</name>
    <message>
        <source>The provider did not bind the sign-in to this computer&apos;s key as it said it would, so it was not used.</source>
        <translation>El proveedor no vinculó el inicio de sesión a la clave de esta computadora como había dicho que lo haría, así que no se usó.</translation>
    </message>
    <message>
        <source>The provider bound the sign-in to a key this app did not offer, so it cannot be used.</source>
        <translation>El proveedor vinculó el inicio de sesión a una clave que esta aplicación no ofreció, así que no se puede usar.</translation>
    </message>
    <message>
        <source>The provider&apos;s sign-in server sent an answer that does not follow the OAuth standard.</source>
        <translation>El servidor de inicio de sesión del proveedor envió una respuesta que no sigue el estándar OAuth.</translation>
    </message>
    <message>
        <source>The provider&apos;s sign-in server sent far too much data.</source>
        <translation>El servidor de inicio de sesión del proveedor envió demasiados datos.</translation>
    </message>
    <message>
        <source>This computer&apos;s key for the provider could not sign the request, so nothing was sent. Try again; if it keeps happening, reconnect.</source>
        <translation>La clave de esta computadora para el proveedor no pudo firmar la solicitud, así que no se envió nada. Inténtelo de nuevo; si sigue ocurriendo, vuelva a conectarse.</translation>
    </message>
    <message>
        <source>Could not reach the provider&apos;s sign-in server. Check your internet connection, then try again.</source>
        <translation>No se pudo contactar al servidor de inicio de sesión del proveedor. Revise su conexión a internet e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Your provider has ended this app&apos;s access. Reconnect to continue; your records stay on this device.</source>
        <translation>Su proveedor terminó el acceso de esta aplicación. Vuelva a conectarse para continuar; sus registros se quedan en este dispositivo.</translation>
    </message>
    <message>
        <source>The provider&apos;s sign-in server had a problem. Try again in a few minutes.</source>
        <translation>El servidor de inicio de sesión del proveedor tuvo un problema. Inténtelo de nuevo en unos minutos.</translation>
    </message>
    <message>
        <source>The provider&apos;s sign-in server refused the request (%1).</source>
        <translation>El servidor de inicio de sesión del proveedor rechazó la solicitud (%1).</translation>
    </message>
    <message>
        <source>The provider&apos;s sign-in server sent an unexpected answer.</source>
        <translation>El servidor de inicio de sesión del proveedor envió una respuesta inesperada.</translation>
    </message>
    <message>
        <source>The provider refused this sign-in (%1). Nothing was stored; start the connection again.</source>
        <translation>El proveedor rechazó este inicio de sesión (%1). No se guardó nada; vuelva a iniciar la conexión.</translation>
    </message>
</context>
<context>
    <name>ondevice::fhir::BundleExport</name>
    <message>
        <source>Could not write %1.</source>
        <translation>No se pudo escribir %1.</translation>
    </message>
</context>
<context>
    <name>ondevice::fhir::FhirClient</name>
    <message>
        <source>This kind of record was not shared with OnDevice Health.</source>
        <translation>Este tipo de registro no se compartió con OnDevice Health.</translation>
    </message>
    <message>
        <source>The provider no longer has this record.</source>
        <translation>El proveedor ya no tiene este registro.</translation>
    </message>
    <message>
        <source>The provider did not accept this app&apos;s access.</source>
        <translation>El proveedor no aceptó el acceso de esta aplicación.</translation>
    </message>
    <message>
        <source>The provider&apos;s server had a problem. Try again in a few minutes.</source>
        <translation>El servidor del proveedor tuvo un problema. Inténtelo de nuevo en unos minutos.</translation>
    </message>
    <message>
        <source>The provider&apos;s server had a problem: %1</source>
        <translation>El servidor del proveedor tuvo un problema: %1</translation>
    </message>
    <message>
        <source>The provider refused a request.</source>
        <translation>El proveedor rechazó una solicitud.</translation>
    </message>
    <message>
        <source>The provider refused a request: %1</source>
        <translation>El proveedor rechazó una solicitud: %1</translation>
    </message>
    <message>
        <source>The provider sent records OnDevice Health cannot read.</source>
        <translation>El proveedor envió registros que OnDevice Health no puede leer.</translation>
    </message>
    <message>
        <source>The provider&apos;s answer was cut off or garbled.</source>
        <translation>La respuesta del proveedor llegó cortada o dañada.</translation>
    </message>
    <message>
        <source>The provider pointed OnDevice Health to another server for the rest of your records; it was not followed.</source>
        <translation>El proveedor remitió a OnDevice Health a otro servidor para el resto de sus registros; no se siguió esa indicación.</translation>
    </message>
    <message>
        <source>The provider sent a record OnDevice Health cannot read.</source>
        <translation>El proveedor envió un registro que OnDevice Health no puede leer.</translation>
    </message>
    <message>
        <source>OnDevice Health only sends your access to the provider&apos;s own server.</source>
        <translation>OnDevice Health solo envía su acceso al servidor del propio proveedor.</translation>
    </message>
    <message>
        <source>The provider sent far more data than a record page can hold.</source>
        <translation>El proveedor envió muchos más datos de los que caben en una página de registros.</translation>
    </message>
    <message>
        <source>The provider redirected to another server; it was not followed.</source>
        <translation>El proveedor redirigió a otro servidor; no se siguió la redirección.</translation>
    </message>
    <message>
        <source>Could not reach the provider. Check your internet connection, then try again.</source>
        <translation>No se pudo contactar al proveedor. Revise su conexión a internet e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Detenido.</translation>
    </message>
    <message>
        <source>The provider answered in a format OnDevice Health does not read.</source>
        <translation>El proveedor respondió en un formato que OnDevice Health no lee.</translation>
    </message>
</context>
<context>
    <name>ondevice::fhir::RecordCipher</name>
    <message>
        <source>The key for this provider&apos;s records is missing or damaged.</source>
        <translation>Falta la clave de los registros de este proveedor o está dañada.</translation>
    </message>
    <message>
        <source>The encryption library failed to start.</source>
        <translation>No se pudo iniciar la biblioteca de cifrado.</translation>
    </message>
</context>
<context>
    <name>ondevice::fhir::ResourceIndex</name>
    <message>
        <source>A record from the server is not a valid FHIR resource, so nothing from that page was saved.</source>
        <translation>Un registro del servidor no es un recurso FHIR válido, así que no se guardó nada de esa página.</translation>
    </message>
</context>
<context>
    <name>ondevice::fhir::ResourceStore</name>
    <message>
        <source>The encryption library failed to start.</source>
        <translation>No se pudo iniciar la biblioteca de cifrado.</translation>
    </message>
    <message>
        <source>The key in the keychain does not match the records saved for this provider, so they cannot be read. Nothing was changed. If the keychain was restored from another computer, restore the matching one, or forget this provider and connect again.</source>
        <translation>La clave que está en el llavero no coincide con los registros guardados de este proveedor, así que no se pueden leer. No se cambió nada. Si el llavero se restauró desde otra computadora, restaure el que corresponde, u olvide este proveedor y vuelva a conectarse.</translation>
    </message>
    <message>
        <source>The records database on this computer could not be read or written.</source>
        <translation>No se pudo leer ni escribir la base de datos de registros de esta computadora.</translation>
    </message>
    <message>
        <source>Records could not be saved.</source>
        <translation>No se pudieron guardar los registros.</translation>
    </message>
    <message>
        <source>The records database could not be read or written.</source>
        <translation>No se pudo leer ni escribir la base de datos de registros.</translation>
    </message>
    <message>
        <source>A stored record could not be decrypted. The records database may be damaged or altered.</source>
        <translation>No se pudo descifrar un registro guardado. Es posible que la base de datos de registros esté dañada o alterada.</translation>
    </message>
    <message>
        <source>A record could not be encrypted, so it was not saved.</source>
        <translation>No se pudo cifrar un registro, así que no se guardó.</translation>
    </message>
    <message>
        <source>The records could not be looked up.</source>
        <translation>No se pudieron buscar los registros.</translation>
    </message>
    <message>
        <source>The records database was written by a newer version of OnDevice Health. Update the app to open it.</source>
        <translation>La base de datos de registros se creó con una versión más reciente de OnDevice Health. Actualice la aplicación para abrirla.</translation>
    </message>
    <message>
        <source>The records database could not be upgraded.</source>
        <translation>No se pudo actualizar la base de datos de registros.</translation>
    </message>
    <message>
        <source>The records database on this computer could not be opened. It may be damaged, or the disk may be full or read-only.</source>
        <translation>No se pudo abrir la base de datos de registros de esta computadora. Puede estar dañada, o el disco puede estar lleno o ser de solo lectura.</translation>
    </message>
</context>
<context>
    <name>ondevice::fhir::SyncEngine</name>
    <message>
        <source>Could not save the sync position.</source>
        <translation>No se pudo guardar la posición de la sincronización.</translation>
    </message>
</context>
<context>
    <name>ondevice::fhir::UserAccessBrands</name>
    <message>
        <source>This provider directory could not be read; the copy kept before stays in use.</source>
        <translation>No se pudo leer este directorio de proveedores; se sigue usando la copia guardada anteriormente.</translation>
    </message>
</context>
<context>
    <name>ondevice::services::BrandSources</name>
    <message>
        <source>A provider directory must be an https address.</source>
        <translation>Un directorio de proveedores debe ser una dirección https.</translation>
    </message>
    <message>
        <source>%1: kept the copy from before (%2)</source>
        <translation>%1: se conservó la copia anterior (%2)</translation>
    </message>
</context>
<context>
    <name>ondevice::services::RecordsHub</name>
    <message>
        <source>This connection is gone.</source>
        <translation>Esta conexión ya no existe.</translation>
    </message>
    <message>
        <source>The key to the records of %1 could not be read from %2: %3</source>
        <translation>No se pudo leer de %2 la clave de los registros de %1: %3</translation>
    </message>
    <message>
        <source>The records of %1 could not be opened: %2</source>
        <translation>No se pudieron abrir los registros de %1: %2</translation>
    </message>
    <message>
        <source>%1: signed out, so the records are not updated. Reconnect to sync again.</source>
        <translation>%1: la sesión está cerrada, así que los registros no se actualizan. Vuelva a conectarse para sincronizar de nuevo.</translation>
    </message>
    <message>
        <source>%1 ended this app&apos;s access. Reconnect to sync again.</source>
        <translation>%1 terminó el acceso de esta aplicación. Vuelva a conectarse para sincronizar de nuevo.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 could not be reached: showing the records from the last sync.</source>
        <translation>No se pudo contactar a %1: se muestran los registros de la última sincronización.</translation>
    </message>
    <message>
        <source>%1: some records could not be updated: %2</source>
        <translation>%1: algunos registros no se pudieron actualizar: %2</translation>
    </message>
</context>
<context>
    <name>ondevice::services::Workspace</name>
    <message>
        <source>loaded</source>
        <translation>cargado</translation>
    </message>
    <message>
        <source>from the connections file; last refresh %1 (%2)</source>
        <translation>del archivo de conexiones; última renovación %1 (%2)</translation>
    </message>
    <message>
        <source>from the connections file</source>
        <translation>del archivo de conexiones</translation>
    </message>
    <message>
        <source>discovery</source>
        <translation>descubrimiento</translation>
    </message>
    <message>
        <source>ok: %1</source>
        <translation>correcto: %1</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>falló: %1</translation>
    </message>
    <message>
        <source>There is no such connection.</source>
        <translation>No existe esa conexión.</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::AccessPanel</name>
    <message>
        <source>How this app signs in</source>
        <translation>Cómo inicia sesión esta aplicación</translation>
    </message>
    <message>
        <source>Refresh token kept in</source>
        <translation>Token de actualización guardado en</translation>
    </message>
    <message>
        <source>Bound to</source>
        <translation>Vinculado a</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>Token de acceso</translation>
    </message>
    <message>
        <source>Last silent refresh</source>
        <translation>Última renovación automática</translation>
    </message>
    <message>
        <source>Allowed to</source>
        <translation>Tiene permiso para</translation>
    </message>
    <message>
        <source>Access ends</source>
        <translation>El acceso termina</translation>
    </message>
    <message>
        <source>Ending access</source>
        <translation>Terminar el acceso</translation>
    </message>
    <message>
        <source>Refresh access now</source>
        <translation>Renovar el acceso ahora</translation>
    </message>
    <message>
        <source>Ask the provider for a new access token with the stored refresh token; no browser.</source>
        <translation>Pedirle al proveedor un nuevo token de acceso con el token de actualización guardado; sin navegador.</translation>
    </message>
    <message>
        <source>Re&amp;connect…</source>
        <translation>&amp;Volver a conectar…</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Volver a conectar</translation>
    </message>
    <message>
        <source>Sign in again in your browser; the same patient&apos;s records are kept.</source>
        <translation>Iniciar sesión de nuevo en su navegador; se conservan los registros del mismo paciente.</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <source>End this app&apos;s access at the provider and delete the sign-in; records stay on this computer.</source>
        <translation>Terminar el acceso de esta aplicación en el proveedor y borrar el inicio de sesión; los registros se quedan en esta computadora.</translation>
    </message>
    <message>
        <source>Forget provider</source>
        <translation>Olvidar proveedor</translation>
    </message>
    <message>
        <source>Sign out and delete this connection&apos;s records and their key from this computer.</source>
        <translation>Cerrar sesión y borrar de esta computadora los registros de esta conexión y su clave.</translation>
    </message>
    <message>
        <source>Protocol timeline</source>
        <translation>Cronología del protocolo</translation>
    </message>
    <message>
        <source>No provider selected</source>
        <translation>Ningún proveedor seleccionado</translation>
    </message>
    <message>
        <source>A client registered for this computer (client id %1): every request for new tokens is signed with this computer&apos;s key, and the sign-in used PKCE (S256).</source>
        <translation>Un cliente registrado para esta computadora (ID de cliente %1): cada solicitud de tokens nuevos se firma con la clave de esta computadora, y el inicio de sesión usó PKCE (S256).</translation>
    </message>
    <message>
        <source>A client registered for this computer (client id %1): each new access token is asked for with a statement signed by this computer&apos;s key; there is no refresh token.</source>
        <translation>Un cliente registrado para esta computadora (ID de cliente %1): cada token de acceso nuevo se solicita con una declaración firmada con la clave de esta computadora; no hay token de actualización.</translation>
    </message>
    <message>
        <source>Public client with PKCE (S256): no client secret, the sign-in is bound to this computer&apos;s one-time proof. Client id %1.</source>
        <translation>Cliente público con PKCE (S256): sin secreto de cliente; el inicio de sesión está vinculado a una prueba de un solo uso de esta computadora. ID de cliente %1.</translation>
    </message>
    <message>
        <source>This app&apos;s memory only (temporary session): nothing is saved on this computer.</source>
        <translation>Solo en la memoria de esta aplicación (sesión temporal): no se guarda nada en esta computadora.</translation>
    </message>
    <message>
        <source>Nowhere: you signed out and the sign-in was deleted from %1.</source>
        <translation>En ningún lugar: usted cerró sesión y el inicio de sesión se borró de %1.</translation>
    </message>
    <message>
        <source>None on this route: each access token is asked for with this computer&apos;s key, kept in %1.</source>
        <translation>Ninguno en esta modalidad: cada token de acceso se solicita con la clave de esta computadora, guardada en %1.</translation>
    </message>
    <message>
        <source>This computer&apos;s key (%1, thumbprint %2…)%3: the provider knows this computer&apos;s registration by it, and nothing from here is usable elsewhere without it. The key is kept in %4, so software running as you could still take it.</source>
        <translation>La clave de esta computadora (%1, huella digital %2…)%3: con ella el proveedor reconoce el registro de esta computadora, y sin ella nada de aquí se puede usar en otro lugar. La clave se guarda en %4, así que un programa que se ejecute con su usuario aún podría tomarla.</translation>
    </message>
    <message>
        <source>, with DPoP proofs on every request</source>
        <translation>, con pruebas DPoP en cada solicitud</translation>
    </message>
    <message>
        <source>This computer&apos;s key (%1, thumbprint %2…): a copy of the refresh token is useless anywhere else. The key is kept in %3 beside the refresh token, so software running as you could still take both.</source>
        <translation>La clave de esta computadora (%1, huella digital %2…): una copia del token de actualización no sirve en ningún otro lugar. La clave se guarda en %3 junto al token de actualización, así que un programa que se ejecute con su usuario aún podría tomar ambos.</translation>
    </message>
    <message>
        <source>Not bound to this computer: this provider issues plain Bearer tokens, which work for whoever holds them.</source>
        <translation>No está vinculado a esta computadora: este proveedor emite tokens Bearer simples, que funcionan para cualquiera que los tenga.</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>succeeded (%1)</source>
        <translation>correcta (%1)</translation>
    </message>
    <message>
        <source>failed (%1)</source>
        <translation>fallida (%1)</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>Todavía no</translation>
    </message>
    <message>
        <source>(the provider did not say)</source>
        <translation>(el proveedor no lo indicó)</translation>
    </message>
    <message>
        <source>Ended: you signed out. Your records stay on this computer.</source>
        <translation>Terminó: usted cerró sesión. Sus registros se quedan en esta computadora.</translation>
    </message>
    <message>
        <source>Ended by the provider. Reconnect to keep your records up to date.</source>
        <translation>El proveedor lo terminó. Vuelva a conectarse para mantener sus registros actualizados.</translation>
    </message>
    <message>
        <source>Until you sign out or the provider ends this computer&apos;s registration.</source>
        <translation>Hasta que usted cierre sesión o el proveedor elimine el registro de esta computadora.</translation>
    </message>
    <message>
        <source>The provider did not let this app stay signed in: you will need to sign in again on %1.</source>
        <translation>El proveedor no permitió que esta aplicación mantuviera la sesión iniciada: tendrá que volver a iniciar sesión el %1.</translation>
    </message>
    <message>
        <source>The provider did not let this app stay signed in: you will need to sign in again.</source>
        <translation>El proveedor no permitió que esta aplicación mantuviera la sesión iniciada: tendrá que volver a iniciar sesión.</translation>
    </message>
    <message>
        <source>%1 (as the provider set it; reconnect before then to extend it)</source>
        <translation>%1 (según lo fijó el proveedor; vuelva a conectarse antes de esa fecha para extenderlo)</translation>
    </message>
    <message>
        <source>The provider did not say; access lasts until you or the provider end it.</source>
        <translation>El proveedor no lo indicó; el acceso dura hasta que usted o el proveedor lo terminen.</translation>
    </message>
    <message>
        <source>Sign out deletes this computer&apos;s registration at the provider, which ends this app&apos;s access.</source>
        <translation>Cerrar sesión elimina el registro de esta computadora en el proveedor, lo que termina el acceso de esta aplicación.</translation>
    </message>
    <message>
        <source>Sign out ends this app&apos;s access at the provider (it supports revocation).</source>
        <translation>Cerrar sesión termina el acceso de esta aplicación en el proveedor (el proveedor admite la revocación).</translation>
    </message>
    <message>
        <source>This provider offers no way for apps to end access. End it yourself at %1.</source>
        <translation>Este proveedor no ofrece a las aplicaciones ninguna forma de terminar el acceso. Termínelo usted en %1.</translation>
    </message>
    <message>
        <source>This provider offers no way for apps to end access: Sign out only deletes the sign-in from this computer. End access in the provider&apos;s patient portal.</source>
        <translation>Este proveedor no ofrece a las aplicaciones ninguna forma de terminar el acceso: Cerrar sesión solo borra el inicio de sesión de esta computadora. Termine el acceso en el portal para pacientes del proveedor.</translation>
    </message>
    <message>
        <source>None in memory yet; the next request gets one silently.</source>
        <translation>Ninguno en memoria todavía; la próxima solicitud obtendrá uno automáticamente.</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Ninguno.</translation>
    </message>
    <message>
        <source>Expired; the next request refreshes it silently.</source>
        <translation>Vencido; la próxima solicitud lo renovará automáticamente.</translation>
    </message>
    <message>
        <source>Expires in %1 (at %2), kept in memory only; refreshed before it expires.</source>
        <translation>Vence en %1 (a las %2); se guarda solo en memoria y se renueva antes de que venza.</translation>
    </message>
    <message>
        <source>Refresh &amp;now</source>
        <translation>Re&amp;novar ahora</translation>
    </message>
    <message>
        <source>Sign &amp;out…</source>
        <translation>Cerrar &amp;sesión…</translation>
    </message>
    <message>
        <source>For&amp;get provider…</source>
        <translation>&amp;Olvidar proveedor…</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::BrandPicker</name>
    <message>
        <source>%1, %2</source>
        <comment>city, state</comment>
        <translation>%1, %2</translation>
    </message>
    <message numerus="yes">
        <source>%n locations</source>
        <translation>
            <numerusform>%n ubicación</numerusform>
            <numerusform>%n ubicaciones</numerusform>
        </translation>
    </message>
    <message>
        <source>not available in this app</source>
        <translation>no disponible en esta aplicación</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Find your provider</source>
        <translation>&amp;Buscar su proveedor</translation>
    </message>
    <message>
        <source>Find your provider</source>
        <translation>Buscar su proveedor</translation>
    </message>
    <message>
        <source>Name, city or state</source>
        <translation>Nombre, ciudad o estado</translation>
    </message>
    <message>
        <source>&amp;Directories…</source>
        <translation>&amp;Directorios…</translation>
    </message>
    <message>
        <source>Provider directories</source>
        <translation>Directorios de proveedores</translation>
    </message>
    <message>
        <source>Use the demo directory</source>
        <translation>Usar el directorio de demostración</translation>
    </message>
    <message>
        <source>Providers found</source>
        <translation>Proveedores encontrados</translation>
    </message>
    <message>
        <source>Connect &amp;through</source>
        <translation>Conectar a &amp;través de</translation>
    </message>
    <message>
        <source>Connect through</source>
        <translation>Conectar a través de</translation>
    </message>
    <message>
        <source>Reading your provider directories…</source>
        <translation>Leyendo sus directorios de proveedores…</translation>
    </message>
    <message>
        <source>Add a provider directory to find your provider by name, or choose below.</source>
        <translation>Agregue un directorio de proveedores para buscar a su proveedor por nombre, o elija uno abajo.</translation>
    </message>
    <message numerus="yes">
        <source>%n providers in your directories.</source>
        <translation>
            <numerusform>%n proveedor en sus directorios.</numerusform>
            <numerusform>%n proveedores en sus directorios.</numerusform>
        </translation>
    </message>
    <message>
        <source>No provider matches “%1”.</source>
        <translation>Ningún proveedor coincide con “%1”.</translation>
    </message>
    <message numerus="yes">
        <source>The first %n providers that match “%1”.</source>
        <translation>
            <numerusform>El primer proveedor que coincide con “%1”.</numerusform>
            <numerusform>Los primeros %n proveedores que coinciden con “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n providers match “%1”.</source>
        <translation>
            <numerusform>%n proveedor coincide con “%1”.</numerusform>
            <numerusform>%n proveedores coinciden con “%1”.</numerusform>
        </translation>
    </message>
    <message>
        <source>Some directories could not be updated; the copies from before are used.</source>
        <translation>Algunos directorios no se pudieron actualizar; se usan las copias anteriores.</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Also known as %1</source>
        <translation>También conocido como %1</translation>
    </message>
    <message>
        <source>%1 does not offer a connection this app can use.</source>
        <translation>%1 no ofrece una conexión que esta aplicación pueda usar.</translation>
    </message>
    <message>
        <source>%1 does not offer a connection this app can use. Its patient portal: %2</source>
        <translation>%1 no ofrece una conexión que esta aplicación pueda usar. Su portal para pacientes: %2</translation>
    </message>
    <message>
        <source>Use the de&amp;mo directory</source>
        <translation>Usar el directorio de d&amp;emostración</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::CategoryModel</name>
    <message>
        <source>not synced yet</source>
        <translation>aún no sincronizado</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n registro</numerusform>
            <numerusform>%n registros</numerusform>
        </translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categoría</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Cantidad</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::ConnectDialog</name>
    <message>
        <source>Connect a provider</source>
        <translation>Conectar un proveedor</translation>
    </message>
    <message>
        <source>Choose where your records are. You will sign in at the provider in your browser; this app never sees your password.</source>
        <translation>Elija dónde están sus registros. Iniciará sesión con el proveedor en su navegador; esta aplicación nunca ve su contraseña.</translation>
    </message>
    <message>
        <source>%1 — needs registration</source>
        <translation>%1 — requiere registro</translation>
    </message>
    <message>
        <source>Another FHIR server…</source>
        <translation>Otro servidor FHIR…</translation>
    </message>
    <message>
        <source>Any SMART on FHIR server: enter its FHIR base address and the client id you registered.</source>
        <translation>Cualquier servidor SMART on FHIR: ingrese su dirección base FHIR y el ID de cliente que registró.</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>Proveedores</translation>
    </message>
    <message>
        <source>Or choose a &amp;provider</source>
        <translation>O elija un &amp;proveedor</translation>
    </message>
    <message>
        <source>FHIR server address</source>
        <translation>Dirección del servidor FHIR</translation>
    </message>
    <message>
        <source>https://fhir.example.org/r4</source>
        <translation>https://fhir.example.org/r4</translation>
    </message>
    <message>
        <source>FHIR &amp;server address</source>
        <translation>Dirección del &amp;servidor FHIR</translation>
    </message>
    <message>
        <source>Client id</source>
        <translation>ID de cliente</translation>
    </message>
    <message>
        <source>The client id registered with this provider</source>
        <translation>El ID de cliente registrado con este proveedor</translation>
    </message>
    <message>
        <source>&amp;Client id</source>
        <translation>&amp;ID de cliente</translation>
    </message>
    <message>
        <source>Registered loopback port</source>
        <translation>Puerto loopback registrado</translation>
    </message>
    <message>
        <source>Any free port</source>
        <translation>Cualquier puerto libre</translation>
    </message>
    <message>
        <source>The port of the redirect URI http://127.0.0.1:PORT/callback registered with this provider; &quot;Any free port&quot; for providers that follow RFC 8252.</source>
        <translation>El puerto de la URI de redirección http://127.0.0.1:PORT/callback registrada con este proveedor; &quot;Cualquier puerto libre&quot; para los proveedores que siguen el RFC 8252.</translation>
    </message>
    <message>
        <source>&amp;Advanced settings</source>
        <translation>Configuración &amp;avanzada</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>Configuración avanzada</translation>
    </message>
    <message>
        <source>Scopes to request</source>
        <translation>Ámbitos que se solicitarán</translation>
    </message>
    <message>
        <source>What the server supports (from discovery)</source>
        <translation>Lo que admite el servidor (según el descubrimiento)</translation>
    </message>
    <message>
        <source>Allow http for servers that are not on this computer</source>
        <translation>Permitir http para servidores que no están en esta computadora</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>C&amp;heck server</source>
        <translation>&amp;Verificar servidor</translation>
    </message>
    <message>
        <source>Check server</source>
        <translation>Verificar servidor</translation>
    </message>
    <message>
        <source>What this server offers</source>
        <translation>Lo que ofrece este servidor</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Staying signed in</source>
        <translation>Mantener la sesión iniciada</translation>
    </message>
    <message>
        <source>You sign in at</source>
        <translation>Usted inicia sesión en</translation>
    </message>
    <message>
        <source>Sign-in protection</source>
        <translation>Protección del inicio de sesión</translation>
    </message>
    <message>
        <source>Identity check</source>
        <translation>Verificación de identidad</translation>
    </message>
    <message>
        <source>Bound to this computer</source>
        <translation>Vinculado a esta computadora</translation>
    </message>
    <message>
        <source>Ending access</source>
        <translation>Terminar el acceso</translation>
    </message>
    <message>
        <source>This app will ask to</source>
        <translation>Esta aplicación pedirá permiso para</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>At&amp;rás</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>&amp;Sign in with your browser</source>
        <translation>Iniciar sesión con su &amp;navegador</translation>
    </message>
    <message>
        <source>Sign in with your browser</source>
        <translation>Iniciar sesión con su navegador</translation>
    </message>
    <message>
        <source>Waiting for you to approve in your browser…</source>
        <translation>Esperando a que usted apruebe en su navegador…</translation>
    </message>
    <message>
        <source>Waiting for the browser</source>
        <translation>Esperando al navegador</translation>
    </message>
    <message>
        <source>Sign in at your provider and approve access. Then come back here: the rest happens by itself.</source>
        <translation>Inicie sesión con su proveedor y apruebe el acceso. Luego regrese aquí: lo demás ocurre solo.</translation>
    </message>
    <message>
        <source>Cancel sign-in</source>
        <translation>Cancelar inicio de sesión</translation>
    </message>
    <message>
        <source>Enter the server&apos;s FHIR base address, and the client id and loopback port you registered with it.</source>
        <translation>Ingrese la dirección base FHIR del servidor, y el ID de cliente y el puerto loopback que registró con él.</translation>
    </message>
    <message>
        <source>%1: enter the client id you registered with this provider, then check the server.</source>
        <translation>%1: ingrese el ID de cliente que registró con este proveedor y luego verifique el servidor.</translation>
    </message>
    <message>
        <source>%1, at %2.</source>
        <translation>%1, en %2.</translation>
    </message>
    <message>
        <source>Reconnect %1</source>
        <translation>Volver a conectar con %1</translation>
    </message>
    <message>
        <source>Sign in again as patient %1. Your records and their key stay as they are.</source>
        <translation>Inicie sesión de nuevo como el paciente %1. Sus registros y su clave se quedan como están.</translation>
    </message>
    <message>
        <source>Enter the FHIR server&apos;s address, starting with https://.</source>
        <translation>Ingrese la dirección del servidor FHIR, que empieza con https://.</translation>
    </message>
    <message>
        <source>Enter the client id you registered with %1. Providers give it when you register this app.</source>
        <translation>Ingrese el ID de cliente que registró con %1. Los proveedores lo entregan cuando usted registra esta aplicación.</translation>
    </message>
    <message>
        <source>Asking %1 what it offers…</source>
        <translation>Consultando a %1 qué ofrece…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Intentar de nuevo</translation>
    </message>
    <message>
        <source>%1 (signs in at %2)</source>
        <translation>%1 (inicia sesión en %2)</translation>
    </message>
    <message>
        <source>%1, at %2</source>
        <translation>%1, en %2</translation>
    </message>
    <message>
        <source>Offered: after this sign-in, the app can keep your records up to date without asking again.</source>
        <translation>Se ofrece: después de este inicio de sesión, la aplicación puede mantener sus registros actualizados sin volver a pedírselo.</translation>
    </message>
    <message>
        <source>Not offered: you will need to sign in again when access ends (often within an hour).</source>
        <translation>No se ofrece: tendrá que volver a iniciar sesión cuando termine el acceso (a menudo, en menos de una hora).</translation>
    </message>
    <message>
        <source>PKCE with S256: only this app, on this computer, can finish the sign-in.</source>
        <translation>PKCE con S256: solo esta aplicación, en esta computadora, puede completar el inicio de sesión.</translation>
    </message>
    <message>
        <source>Who signed in is checked against the server&apos;s published signing keys (OpenID Connect).</source>
        <translation>Quién inició sesión se verifica con las claves de firma que publica el servidor (OpenID Connect).</translation>
    </message>
    <message>
        <source>The server publishes no signing keys: who signed in cannot be checked.</source>
        <translation>El servidor no publica claves de firma: no se puede verificar quién inició sesión.</translation>
    </message>
    <message>
        <source>Yes: this computer will be registered with the provider by a key made here, and every request for new tokens is signed with it, so a copy of the sign-in is useless anywhere else.</source>
        <translation>Sí: esta computadora se registrará con el proveedor mediante una clave creada aquí, y cada solicitud de tokens nuevos se firmará con ella, así que una copia del inicio de sesión no sirve en ningún otro lugar.</translation>
    </message>
    <message>
        <source>Yes (DPoP): the sign-in will be bound to a key made on this computer, so a copy of it is useless anywhere else.</source>
        <translation>Sí (DPoP): el inicio de sesión se vinculará a una clave creada en esta computadora, así que una copia no sirve en ningún otro lugar.</translation>
    </message>
    <message>
        <source>Not offered: the sign-in works for whoever holds it, so it is kept only in %1.</source>
        <translation>No se ofrece: el inicio de sesión funciona para cualquiera que lo tenga, por eso se guarda solo en %1.</translation>
    </message>
    <message>
        <source>this app&apos;s memory</source>
        <translation>la memoria de esta aplicación</translation>
    </message>
    <message>
        <source>Supported: Sign out ends this app&apos;s access at the provider.</source>
        <translation>Se admite: Cerrar sesión termina el acceso de esta aplicación en el proveedor.</translation>
    </message>
    <message>
        <source>Not supported by the app; you can end access at %1.</source>
        <translation>La aplicación no lo admite; puede terminar el acceso en %1.</translation>
    </message>
    <message>
        <source>Not supported: end access in the provider&apos;s patient portal when you are done.</source>
        <translation>No se admite: termine el acceso en el portal para pacientes del proveedor cuando ya no lo necesite.</translation>
    </message>
    <message>
        <source>Your browser opens at %1. Nothing is stored until you approve there; then the sign-in is kept in %2.</source>
        <translation>Su navegador se abrirá en %1. No se guarda nada hasta que usted apruebe allí; después, el inicio de sesión se guarda en %2.</translation>
    </message>
    <message>
        <source>this app&apos;s memory only (temporary session)</source>
        <translation>solo la memoria de esta aplicación (sesión temporal)</translation>
    </message>
    <message>
        <source>%1 cannot keep your sign-in: %2 You can continue for this session only: your sign-in stays in this app&apos;s memory and your records in a temporary encrypted file, both gone when you close the app; you will need to sign in again next time.</source>
        <translation>%1 no puede guardar su inicio de sesión: %2 Puede continuar solo para esta sesión: su inicio de sesión se queda en la memoria de esta aplicación y sus registros en un archivo temporal cifrado, y ambos desaparecen al cerrar la aplicación; tendrá que volver a iniciar sesión la próxima vez.</translation>
    </message>
    <message>
        <source>Continue for this session only</source>
        <translation>Continuar solo para esta sesión</translation>
    </message>
    <message>
        <source>Registered p&amp;ort</source>
        <translation>P&amp;uerto registrado</translation>
    </message>
    <message>
        <source>Scop&amp;es</source>
        <translation>Á&amp;mbitos</translation>
    </message>
    <message>
        <source>Allow http:// for servers not on this computer</source>
        <translation>Permitir http:// para servidores que no están en esta computadora</translation>
    </message>
    <message>
        <source>For developers only: tokens would cross the network unencrypted.</source>
        <translation>Solo para desarrolladores: los tokens cruzarían la red sin cifrar.</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::ConnectionListModel</name>
    <message>
        <source>Patient %1</source>
        <translation>Paciente %1</translation>
    </message>
    <message>
        <source>%1, %2, %3</source>
        <translation>%1, %2, %3</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::DirectoriesDialog</name>
    <message>
        <source>Provider directories</source>
        <translation>Directorios de proveedores</translation>
    </message>
    <message>
        <source>Provider directories list health systems by the names patients know, with the address this app connects to. They are public lists, published by record system vendors and providers; this app asks only the ones you add here, at most once a day, and keeps a copy so that search works offline.</source>
        <translation>Los directorios de proveedores enumeran los sistemas de salud con los nombres que conocen los pacientes, junto con la dirección a la que se conecta esta aplicación. Son listas públicas, publicadas por proveedores y por fabricantes de sistemas de registros médicos; esta aplicación solo consulta las que usted agregue aquí, como máximo una vez al día, y guarda una copia para que la búsqueda funcione sin conexión.</translation>
    </message>
    <message>
        <source>Your provider directories</source>
        <translation>Sus directorios de proveedores</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>&amp;Dirección</translation>
    </message>
    <message>
        <source>Directory address</source>
        <translation>Dirección del directorio</translation>
    </message>
    <message>
        <source>https://example.org/brands.json</source>
        <translation>https://example.org/brands.json</translation>
    </message>
    <message>
        <source>A&amp;dd</source>
        <translation>&amp;Agregar</translation>
    </message>
    <message>
        <source>Add directory</source>
        <translation>Agregar directorio</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Remove the selected directory</source>
        <translation>Quitar el directorio seleccionado</translation>
    </message>
    <message>
        <source>&amp;Update now</source>
        <translation>A&amp;ctualizar ahora</translation>
    </message>
    <message>
        <source>Update every directory now</source>
        <translation>Actualizar todos los directorios ahora</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>not fetched yet</source>
        <translation>aún no descargado</translation>
    </message>
    <message numerus="yes">
        <source>%n providers, updated %1</source>
        <translation>
            <numerusform>%n proveedor, actualizado el %1</numerusform>
            <numerusform>%n proveedores, actualizado el %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Last update failed (%1); the copy from before is used.</source>
        <translation>La última actualización falló (%1); se usa la copia anterior.</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>Actualizando…</translation>
    </message>
    <message>
        <source>Up to date.</source>
        <translation>Al día.</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::LabsChartView</name>
    <message>
        <source>&amp;Test:</source>
        <translation>Aná&amp;lisis:</translation>
    </message>
    <message>
        <source>Test to chart</source>
        <translation>Análisis para el gráfico</translation>
    </message>
    <message>
        <source>No values to chart yet.</source>
        <translation>Todavía no hay valores para el gráfico.</translation>
    </message>
    <message>
        <source>Chart of the selected test over time</source>
        <translation>Gráfico del análisis seleccionado a lo largo del tiempo</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n result(s))</source>
        <translation>
            <numerusform>%1 (%n resultado)</numerusform>
            <numerusform>%1 (%n resultados)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Reference range</source>
        <translation>Rango de referencia</translation>
    </message>
    <message>
        <source>Show as ta&amp;ble</source>
        <translation>Mostrar como &amp;tabla</translation>
    </message>
    <message>
        <source>Show the values as a table</source>
        <translation>Mostrar los valores como tabla</translation>
    </message>
    <message>
        <source>Values of the selected test</source>
        <translation>Valores del análisis seleccionado</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::MainWindow</name>
    <message>
        <source>OnDevice Health</source>
        <translation>OnDevice Health</translation>
    </message>
    <message>
        <source>Temporary session: nothing is saved on this computer</source>
        <translation>Sesión temporal: no se guarda nada en esta computadora</translation>
    </message>
    <message>
        <source>OnDevice Health (temporary session)</source>
        <translation>OnDevice Health (sesión temporal)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Your health records, on your computer</source>
        <translation>Sus registros de salud, en su computadora</translation>
    </message>
    <message>
        <source>OnDevice Health connects to your providers once, then keeps your records up to date by itself. Your records and the key that unlocks them stay only on this device.</source>
        <translation>OnDevice Health se conecta una sola vez con sus proveedores y después mantiene sus registros actualizados por sí solo. Sus registros y la clave que los desbloquea se quedan solo en este dispositivo.</translation>
    </message>
    <message>
        <source>Connect a provider…</source>
        <translation>Conectar un proveedor…</translation>
    </message>
    <message>
        <source>Connect a provider</source>
        <translation>Conectar un proveedor</translation>
    </message>
    <message>
        <source>How this app protects your data</source>
        <translation>Cómo protege sus datos esta aplicación</translation>
    </message>
    <message>
        <source>&amp;Providers</source>
        <translation>&amp;Proveedores</translation>
    </message>
    <message>
        <source>Connected providers</source>
        <translation>Proveedores conectados</translation>
    </message>
    <message>
        <source>Connect another provider</source>
        <translation>Conectar otro proveedor</translation>
    </message>
    <message>
        <source>&amp;Records</source>
        <translation>&amp;Registros</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categoría</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Cantidad</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Problemas de salud</translation>
    </message>
    <message>
        <source>Medications</source>
        <translation>Medicamentos</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <source>Immunizations</source>
        <translation>Vacunas</translation>
    </message>
    <message>
        <source>Labs &amp; Vitals</source>
        <translation>Análisis y signos vitales</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>Procedimientos</translation>
    </message>
    <message>
        <source>Encounters</source>
        <translation>Visitas</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documentos</translation>
    </message>
    <message>
        <source>Care plans</source>
        <translation>Planes de atención</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>aún no sincronizado</translation>
    </message>
    <message>
        <source>Record categories</source>
        <translation>Categorías de registros</translation>
    </message>
    <message>
        <source>Your records will appear here after the first sync.</source>
        <translation>Sus registros aparecerán aquí después de la primera sincronización.</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>Acceso</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Connect a provider…</source>
        <translation>&amp;Conectar un proveedor…</translation>
    </message>
    <message>
        <source>Provider &amp;directories…</source>
        <translation>&amp;Directorios de proveedores…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>How this app &amp;protects your data</source>
        <translation>Cómo &amp;protege sus datos esta aplicación</translation>
    </message>
    <message>
        <source>&amp;About OnDevice Health</source>
        <translation>&amp;Acerca de OnDevice Health</translation>
    </message>
    <message>
        <source>About OnDevice Health</source>
        <translation>Acerca de OnDevice Health</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;OnDevice Health %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Your health records from your providers, kept on this device.&lt;/p&gt;&lt;p&gt;Licensed under the GNU GPL, version 3 or later.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;OnDevice Health %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Sus registros de salud de sus proveedores, guardados en este dispositivo.&lt;/p&gt;&lt;p&gt;Con licencia GNU GPL, versión 3 o posterior.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Offline: showing the records kept on this computer</source>
        <translation>Sin conexión: se muestran los registros guardados en esta computadora</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Progreso de la sincronización</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Cancel sync</source>
        <translation>Cancelar sincronización</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>&amp;Sincronizar ahora</translation>
    </message>
    <message>
        <source>&amp;Cancel sync</source>
        <translation>&amp;Cancelar sincronización</translation>
    </message>
    <message>
        <source>&amp;Find in list</source>
        <translation>&amp;Buscar en la lista</translation>
    </message>
    <message>
        <source>S&amp;ummary</source>
        <translation>&amp;Resumen</translation>
    </message>
    <message>
        <source>Reconnect…</source>
        <translation>Volver a conectar…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Local sandbox: %1</source>
        <translation>Entorno de pruebas local: %1</translation>
    </message>
    <message>
        <source>Connected to %1, but it did not let this app stay signed in: you will need to sign in again on %2.</source>
        <translation>Se conectó a %1, pero no permitió que esta aplicación mantuviera la sesión iniciada: tendrá que volver a iniciar sesión el %2.</translation>
    </message>
    <message>
        <source>Connected to %1. The app stays connected by itself from now on.</source>
        <translation>Se conectó a %1. Desde ahora, la aplicación se mantiene conectada por sí sola.</translation>
    </message>
    <message>
        <source>Reconnected to %1.</source>
        <translation>Se volvió a conectar a %1.</translation>
    </message>
    <message>
        <source>%1: access refreshed silently.</source>
        <translation>%1: el acceso se renovó automáticamente.</translation>
    </message>
    <message>
        <source>Sign out of %1?</source>
        <translation>¿Cerrar sesión en %1?</translation>
    </message>
    <message>
        <source>The app asks %1 to end its access, then deletes the sign-in from %2.</source>
        <translation>La aplicación le pide a %1 que termine su acceso y luego borra el inicio de sesión de %2.</translation>
    </message>
    <message>
        <source>%1 offers no way for apps to end access, so the app only deletes the sign-in from %2; end access in its patient portal too.</source>
        <translation>%1 no ofrece a las aplicaciones ninguna forma de terminar el acceso, así que la aplicación solo borra el inicio de sesión de %2; termine también el acceso en su portal para pacientes.</translation>
    </message>
    <message>
        <source>Your records stay on this computer and stay readable. You can reconnect at any time.</source>
        <translation>Sus registros se quedan en esta computadora y se pueden seguir leyendo. Puede volver a conectarse en cualquier momento.</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <source>Signed out of %1: access ended at the provider. Your records stay on this computer.</source>
        <translation>Se cerró la sesión en %1: el acceso terminó en el proveedor. Sus registros se quedan en esta computadora.</translation>
    </message>
    <message>
        <source>Signed out of %1 on this computer. It offers no way for apps to end access: end it at %2.</source>
        <translation>Se cerró la sesión en %1 en esta computadora. Este proveedor no ofrece a las aplicaciones ninguna forma de terminar el acceso: termínelo en %2.</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Signed out of %1 on this computer. It offers no way for apps to end access: end it in its patient portal.</source>
        <translation>Se cerró la sesión en %1 en esta computadora. Este proveedor no ofrece a las aplicaciones ninguna forma de terminar el acceso: termínelo en su portal para pacientes.</translation>
    </message>
    <message>
        <source>Forget %1?</source>
        <translation>¿Olvidar %1?</translation>
    </message>
    <message>
        <source>This deletes from this computer:
• the sign-in to %1 (kept in %2),
• the key to this connection&apos;s records, and the records stored on this computer,
• the connection itself (patient %3).

The app also asks %1 to end its access where it can. This cannot be undone; to see these records again you would connect and download them again.</source>
        <translation>Esto borra de esta computadora:
• el inicio de sesión en %1 (guardado en %2),
• la clave de los registros de esta conexión y los registros guardados en esta computadora,
• la conexión misma (paciente %3).

La aplicación también le pide a %1 que termine su acceso, donde sea posible. Esto no se puede deshacer; para volver a ver estos registros, tendría que conectarse y descargarlos de nuevo.</translation>
    </message>
    <message>
        <source>Forget provider</source>
        <translation>Olvidar proveedor</translation>
    </message>
    <message>
        <source>%1 forgotten: access ended at the provider; the sign-in, the key and the records are deleted from this computer.</source>
        <translation>Se olvidó %1: el acceso terminó en el proveedor; el inicio de sesión, la clave y los registros se borraron de esta computadora.</translation>
    </message>
    <message>
        <source>%1 forgotten on this computer. It may still list this app: end access in its patient portal.</source>
        <translation>Se olvidó %1 en esta computadora. Es posible que todavía muestre esta aplicación: termine el acceso en su portal para pacientes.</translation>
    </message>
    <message>
        <source>R&amp;ecords</source>
        <translation>R&amp;egistros</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Configuración</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>The new language is used the next time OnDevice Health starts.</source>
        <translation>El nuevo idioma se usará la próxima vez que se inicie OnDevice Health.</translation>
    </message>
    <message numerus="yes">
        <source>Syncing: %1 of %Ln record(s)</source>
        <translation>
            <numerusform>Sincronizando: %1 de %Ln registro</numerusform>
            <numerusform>Sincronizando: %1 de %Ln registros</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing: %Ln record(s)</source>
        <translation>
            <numerusform>Sincronizando: %Ln registro</numerusform>
            <numerusform>Sincronizando: %Ln registros</numerusform>
        </translation>
    </message>
    <message>
        <source>Records and access</source>
        <translation>Registros y acceso</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::MessageBar</name>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Message action</source>
        <translation>Acción del mensaje</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Dismiss message</source>
        <translation>Descartar mensaje</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::NamedComboBox</name>
    <message>
        <source>Open the list of choices</source>
        <translation>Abrir la lista de opciones</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::ProtectionDialog</name>
    <message>
        <source>Your records live here, not with us</source>
        <translation>Sus registros viven aquí, no con nosotros</translation>
    </message>
    <message>
        <source>Apps that read health records are built one of two ways. Many keep your records and sign-ins on their maker&apos;s servers: convenient, but one break-in there exposes every user at once. This app is the other kind: it talks to your providers directly from this computer, and keeps what it gets here. There is no server of ours, so there is nothing of yours on it to leak.</source>
        <translation>Las aplicaciones que leen registros de salud se construyen de una de dos maneras. Muchas guardan sus registros y sus inicios de sesión en los servidores de su fabricante: es cómodo, pero una sola intrusión allí expone a todos los usuarios a la vez. Esta aplicación es del otro tipo: se comunica con sus proveedores directamente desde esta computadora y guarda aquí lo que recibe. No existe un servidor nuestro, así que no hay nada suyo en él que se pueda filtrar.</translation>
    </message>
    <message>
        <source>The price is that this computer has to be looked after: what protects your records is the protection of this computer and your account on it.</source>
        <translation>El precio es que hay que cuidar esta computadora: lo que protege sus registros es la protección de esta computadora y de su cuenta en ella.</translation>
    </message>
    <message>
        <source>How it signs in</source>
        <translation>Cómo inicia sesión</translation>
    </message>
    <message>
        <source>You sign in at your provider, in your browser; this app never sees your password. It is a public client: it has no secret of its own to hide, and uses PKCE so that only this app, on this computer, can finish a sign-in it started. The provider then gives it a refresh token, so it can stay connected without asking you again, until you or the provider end access.</source>
        <translation>Usted inicia sesión con su proveedor, en su navegador; esta aplicación nunca ve su contraseña. Es un cliente público: no tiene ningún secreto propio que ocultar, y usa PKCE para que solo esta aplicación, en esta computadora, pueda completar un inicio de sesión que ella misma empezó. Luego el proveedor le entrega un token de actualización, para que pueda seguir conectada sin volver a pedírselo a usted, hasta que usted o el proveedor terminen el acceso.</translation>
    </message>
    <message>
        <source>Where the provider offers it (DPoP), the sign-in is also bound to a key made on this computer for that provider: every request carries a signature by the key, and the provider refuses the refresh token without it. A refresh token that leaks on its own (in a log, a crash report, a debugging proxy, or from the provider&apos;s side) is then useless anywhere else. The Access panel says whether a connection is bound to this computer.</source>
        <translation>Cuando el proveedor lo ofrece (DPoP), el inicio de sesión además queda vinculado a una clave creada en esta computadora para ese proveedor: cada solicitud lleva una firma hecha con la clave, y el proveedor rechaza el token de actualización sin ella. Así, un token de actualización que se filtre por sí solo (en un registro de actividad, un informe de fallos, un proxy de depuración o desde el lado del proveedor) no sirve en ningún otro lugar. El panel Acceso indica si una conexión está vinculada a esta computadora.</translation>
    </message>
    <message>
        <source>What is stored where</source>
        <translation>Qué se guarda y dónde</translation>
    </message>
    <message>
        <source>This is a temporary session: the sign-ins and the keys to the records are kept in this app&apos;s memory only and are gone when it closes. This session&apos;s records are kept in a temporary file, encrypted under those keys, that is deleted when the app closes (a crash leaves it behind, unreadable without the keys). Nothing below is written for this session.</source>
        <translation>Esta es una sesión temporal: los inicios de sesión y las claves de los registros se guardan solo en la memoria de esta aplicación y desaparecen al cerrarla. Los registros de esta sesión se guardan en un archivo temporal, cifrado con esas claves, que se borra al cerrar la aplicación (si la aplicación falla, el archivo queda, pero no se puede leer sin las claves). Para esta sesión no se escribe nada de lo que se describe abajo.</translation>
    </message>
    <message>
        <source>%1: for each provider, the refresh token (the sign-in), a random key that encrypts that provider&apos;s records, and, where the sign-in is bound, the key it is bound to. Each item holds only the secret itself.</source>
        <translation>%1: para cada proveedor, el token de actualización (el inicio de sesión), una clave aleatoria que cifra los registros de ese proveedor y, cuando el inicio de sesión está vinculado, la clave a la que está vinculado. Cada elemento contiene solo el secreto en sí.</translation>
    </message>
    <message>
        <source>%1: the list of connections (provider addresses, patient ids, granted permissions, when access ends). No token or key.</source>
        <translation>%1: la lista de conexiones (direcciones de los proveedores, IDs de paciente, permisos otorgados, cuándo termina el acceso). Ningún token ni clave.</translation>
    </message>
    <message>
        <source>%1: your records, each one encrypted (AES-256-GCM) with its provider&apos;s key. Record types and codes are stored only as keyed fingerprints, so the file alone says nothing.</source>
        <translation>%1: sus registros, cada uno cifrado (AES-256-GCM) con la clave de su proveedor. Los tipos de registro y los códigos se guardan solo como huellas digitales con clave, así que el archivo por sí solo no revela nada.</translation>
    </message>
    <message>
        <source>Access tokens (valid for minutes to an hour) are kept in memory only, never on disk.</source>
        <translation>Los tokens de acceso (válidos desde unos minutos hasta una hora) se guardan solo en memoria, nunca en el disco.</translation>
    </message>
    <message>
        <source>What remains at risk</source>
        <translation>Lo que sigue en riesgo</translation>
    </message>
    <message>
        <source>Malicious software running on this computer as you can ask %1 for the sign-in, or act as this app.</source>
        <translation>Un programa malicioso que se ejecute en esta computadora con su usuario puede pedirle a %1 el inicio de sesión, o hacerse pasar por esta aplicación.</translation>
    </message>
    <message>
        <source>Binding does not stop such software: the key a sign-in is bound to sits beside the refresh token in %1, which does not tell apps apart, so software that can read one can read the other. Binding stops a refresh token that leaked on its own; only a key that can never leave this computer&apos;s security chip would also stop software that takes both, and this version does not use one.</source>
        <translation>La vinculación no detiene a ese tipo de programa: la clave a la que está vinculado un inicio de sesión está junto al token de actualización en %1, que no distingue entre aplicaciones, así que un programa que puede leer uno puede leer el otro. La vinculación detiene un token de actualización que se filtró por sí solo; solo una clave que nunca pudiera salir del chip de seguridad de esta computadora detendría también a un programa que tome ambos, y esta versión no usa ninguna.</translation>
    </message>
    <message>
        <source>Anyone who uses this computer while your session is unlocked can open this app and read your records. Lock the screen when you step away.</source>
        <translation>Cualquier persona que use esta computadora mientras su sesión está desbloqueada puede abrir esta aplicación y leer sus registros. Bloquee la pantalla cuando se aleje.</translation>
    </message>
    <message>
        <source>Backups: the records in a backup stay unreadable unless the backup also holds a copy of the keychain, which backups of the whole home folder usually do (and Windows credentials roam with the profile). Protect such backups as you would this computer.</source>
        <translation>Copias de seguridad: los registros de una copia de seguridad no se pueden leer, a menos que la copia también contenga una copia del llavero, algo que suele ocurrir con las copias de toda la carpeta personal (y las credenciales de Windows viajan con el perfil). Proteja esas copias de seguridad como protegería esta computadora.</translation>
    </message>
    <message>
        <source>Files you export or attachments you open are ordinary files, outside this protection.</source>
        <translation>Los archivos que usted exporte y los adjuntos que abra son archivos comunes, fuera de esta protección.</translation>
    </message>
    <message>
        <source>How to end access</source>
        <translation>Cómo terminar el acceso</translation>
    </message>
    <message>
        <source>Sign out (in the Access panel) asks the provider to end this app&apos;s access, where the provider allows it, and deletes the sign-in from %1. Your records stay here and stay readable.</source>
        <translation>Cerrar sesión (en el panel Acceso) le pide al proveedor que termine el acceso de esta aplicación, cuando el proveedor lo permite, y borra el inicio de sesión de %1. Sus registros se quedan aquí y se pueden seguir leyendo.</translation>
    </message>
    <message>
        <source>Forget provider also deletes the key to that provider&apos;s records, the records on this computer, and the connection.</source>
        <translation>Olvidar proveedor también borra la clave de los registros de ese proveedor, los registros de esta computadora y la conexión.</translation>
    </message>
    <message>
        <source>You can always end access at the provider too: in its patient portal, look for connected apps (or &quot;apps and devices&quot;, &quot;manage access&quot;) and remove this app. The app then shows &quot;Needs reconnect&quot;.</source>
        <translation>También puede terminar el acceso directamente en el proveedor: en su portal para pacientes, busque las aplicaciones conectadas (o &quot;aplicaciones y dispositivos&quot;, &quot;administrar acceso&quot;) y quite esta aplicación. Entonces la aplicación mostrará &quot;Debe volver a conectarse&quot;.</translation>
    </message>
    <message>
        <source>How this app protects your data</source>
        <translation>Cómo protege sus datos esta aplicación</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::RecordDetailView</name>
    <message>
        <source>Selected record</source>
        <translation>Registro seleccionado</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Raw FHIR JSON</source>
        <translation>JSON FHIR sin procesar</translation>
    </message>
    <message>
        <source>Select a record to see it here.</source>
        <translation>Seleccione un registro para verlo aquí.</translation>
    </message>
    <message>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::RecordsView</name>
    <message>
        <source>Your records will appear here after the first sync.</source>
        <translation>Sus registros aparecerán aquí después de la primera sincronización.</translation>
    </message>
    <message>
        <source>Find in this list (Ctrl+F)</source>
        <translation>Buscar en esta lista (Ctrl+F)</translation>
    </message>
    <message>
        <source>Find in this list</source>
        <translation>Buscar en esta lista</translation>
    </message>
    <message>
        <source>&amp;Dates from</source>
        <translation>&amp;Fechas desde</translation>
    </message>
    <message>
        <source>Limit to a date range</source>
        <translation>Limitar a un rango de fechas</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Fecha inicial</translation>
    </message>
    <message>
        <source>to</source>
        <translation>hasta</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>Fecha final</translation>
    </message>
    <message>
        <source>Show the values of one test over time</source>
        <translation>Mostrar los valores de un análisis a lo largo del tiempo</translation>
    </message>
    <message>
        <source>Show as a chart</source>
        <translation>Mostrar como gráfico</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) loaded</source>
        <translation>
            <numerusform>%n registro cargado</numerusform>
            <numerusform>%n registros cargados</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n loaded record(s) match</source>
        <translation>
            <numerusform>%1 de %n registro cargado coincide</numerusform>
            <numerusform>%1 de %n registros cargados coinciden</numerusform>
        </translation>
    </message>
    <message>
        <source>; scroll down for more</source>
        <translation>; desplácese hacia abajo para ver más</translation>
    </message>
    <message>
        <source>&amp;Chart</source>
        <translation>&amp;Gráfico</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::SummaryView</name>
    <message>
        <source>Patient name</source>
        <translation>Nombre del paciente</translation>
    </message>
    <message>
        <source>Birth date and gender</source>
        <translation>Fecha de nacimiento y sexo</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>Identificadores</translation>
    </message>
    <message>
        <source>Show other identifiers</source>
        <translation>Mostrar otros identificadores</translation>
    </message>
    <message>
        <source>Shows the patient&apos;s other identifiers, partly hidden</source>
        <translation>Muestra los otros identificadores del paciente, parcialmente ocultos</translation>
    </message>
    <message>
        <source>Other identifiers, partly hidden</source>
        <translation>Otros identificadores, parcialmente ocultos</translation>
    </message>
    <message>
        <source>Active problems</source>
        <translation>Problemas de salud activos</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Problema de salud</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Active medications</source>
        <translation>Medicamentos activos</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medicamento</translation>
    </message>
    <message>
        <source>Dosage</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <source>Substance</source>
        <translation>Sustancia</translation>
    </message>
    <message>
        <source>Criticality</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Latest vitals</source>
        <translation>Signos vitales más recientes</translation>
    </message>
    <message>
        <source>Vital sign</source>
        <translation>Signo vital</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Born %1</source>
        <translation>Nació el %1</translation>
    </message>
    <message>
        <source>MRN %1 (%2)</source>
        <translation>N.º de expediente %1 (%2)</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Blood pressure</source>
        <translation>Presión arterial</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>No records yet</source>
        <translation>Aún no hay registros</translation>
    </message>
    <message numerus="yes">
        <source>Show other identifiers (%n)</source>
        <translation>
            <numerusform>Mostrar otros identificadores (%n)</numerusform>
            <numerusform>Mostrar otros identificadores (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>No active problems recorded</source>
        <translation>No hay problemas de salud activos registrados</translation>
    </message>
    <message>
        <source>No active medications recorded</source>
        <translation>No hay medicamentos activos registrados</translation>
    </message>
    <message>
        <source>No allergies recorded</source>
        <translation>No hay alergias registradas</translation>
    </message>
    <message>
        <source>No vital signs recorded</source>
        <translation>No hay signos vitales registrados</translation>
    </message>
</context>
<context>
    <name>ondevice::ui::TimelineModel</name>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Paso</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
</context>
</TS>
