@responding
Feature: Responding to the public
  In 2021 the inspectorate found that around half of non-emergency calls were answered within the
  force's 30-second target and almost 20% were abandoned. The RES rules judge a force's call and
  incident records against its answering standards, and check that call handlers identify repeat
  and vulnerable callers and attend incidents within the published time for their grade.

  Background:
    Given the PEEL pack
    And the assessment date is 2022-04-01

  @finding @boundary
  Scenario Outline: A 999 call is answered within 10 seconds
    Given a call record "999-1" with:
      | call_type              | emergency   |
      | answered_after_seconds | <seconds>   |
      | abandoned              | <abandoned> |
    When the assessment runs
    Then record 999-1 <outcome> rule RES-010

    Examples:
      | seconds | abandoned | outcome |
      | 6       | false     | passes  |
      | 10      | false     | passes  |
      | 11      | false     | fails   |
      |         | true      | fails   |

  @finding @aggregate @boundary
  Scenario Outline: 90% of 999 calls must be answered within 10 seconds
    Given <fast> call records with:
      """
      call_type: emergency
      answered_after_seconds: 8
      """
    And <slow> call records with:
      """
      call_type: emergency
      answered_after_seconds: 25
      """
    When the assessment runs
    Then rule RES-010 is <status>
    And the compliance rate of RES-010 is <rate>%

    Examples:
      | fast | slow | status  | rate |
      | 9    | 1    | met     | 90   |
      | 90   | 10   | met     | 90   |
      | 89   | 11   | not met | 89   |
      | 8    | 2    | not met | 80   |
      | 1    | 1    | not met | 50   |
      | 10   | 0    | met     | 100  |

  @finding @boundary
  Scenario Outline: Non-emergency calls are answered within the 30-second target
    Given a call record "101-1" with:
      | call_type              | <type>    |
      | answered_after_seconds | <seconds> |
    When the assessment runs
    Then record 101-1 <outcome> rule RES-008

    Examples:
      | type          | seconds | outcome              |
      | non_emergency | 20      | passes               |
      | non_emergency | 30      | passes               |
      | non_emergency | 31      | fails                |
      | non_emergency | 180     | fails                |
      | non_emergency |         | fails                |
      | emergency     | 180     | is not applicable to |

  @finding @aggregate @from_report
  Scenario: Around half of non-emergency calls answered within 30 seconds, as in 2021
    Given 5 call records with:
      """
      call_type: non_emergency
      answered_after_seconds: 25
      """
    And 5 call records with:
      """
      call_type: non_emergency
      answered_after_seconds: 240
      """
    When the assessment runs
    Then rule RES-008 is not met
    And the compliance rate of RES-008 is 50%
    And rule RES-008 needs 4 more compliant records

  @finding @aggregate @boundary
  Scenario Outline: At most 10% of non-emergency calls may be abandoned
    Given <answered> call records with:
      """
      call_type: non_emergency
      abandoned: false
      answered_after_seconds: 20
      """
    And <abandoned> call records with:
      """
      call_type: non_emergency
      abandoned: true
      """
    When the assessment runs
    Then rule RES-009 is <status>
    And rule RES-009 has <total> applicable, <answered> compliant, <abandoned> non-compliant and 0 not recorded records

    Examples:
      | answered | abandoned | total | status  |
      | 9        | 1         | 10    | met     |
      | 90       | 10        | 100   | met     |
      | 89       | 11        | 100   | not met |
      | 8        | 2         | 10    | not met |

  @area_for_improvement
  Scenario: Abandoned calls are not judged on what the call handler did
    Given these call records:
      | call_ref | call_type     | abandoned | answered_after_seconds | repeat_caller_check_completed | thrive_assessed |
      | C-1      | non_emergency | false     | 12                     | true                          | true            |
      | C-2      | non_emergency | false     | 14                     | false                         | false           |
      | C-3      | non_emergency | true      |                        |                               |                 |
      | C-4      | non_emergency |           |                        |                               |                 |
    When the assessment runs
    Then record C-1 passes rule RES-005
    And record C-2 fails rule RES-005
    And record C-3 is not applicable to rule RES-005
    And record C-4 is not recorded for rule RES-005
    And rule RES-007 lists records C-2, C-4
    And rule RES-005 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records

  @area_for_improvement
  Scenario Outline: Repeat and vulnerable callers are identified
    Given these call records:
      | call_ref | repeat_caller | repeat_caller_identified | vulnerable   | vulnerability_recorded |
      | C-1      | <repeat>      | <identified>             | <vulnerable> | <recorded>             |
    When the assessment runs
    Then rule RES-004 is <repeat_status>
    And rule RES-006 is <vulnerable_status>

    Examples:
      | repeat | identified | vulnerable | recorded | repeat_status | vulnerable_status |
      | true   | true       | true       | true     | met           | met               |
      | true   | false      | true       | false    | not met       | not met           |
      | false  |            | false      |          | not assessed  | not assessed      |
      | true   |            | true       |          | not met       | not met           |

  @finding @boundary
  Scenario Outline: Incidents are attended within the published time for their grade
    Given an incident record "INC-1" with:
      | grade             | <grade>          |
      | attended          | <attended>       |
      | reported_at       | 2021-09-04T23:40 |
      | attendance_due_by | 2021-09-05T00:00 |
      | arrived_at        | <arrived>        |
    When the assessment runs
    Then record INC-1 <outcome> rule RES-011

    Examples:
      | grade                | attended | arrived             | outcome              |
      | immediate            | true     | 2021-09-04T23:52    | passes               |
      | immediate            | true     | 2021-09-05T00:00    | passes               |
      | immediate            | true     | 2021-09-05T00:00:01 | fails                |
      | priority             | true     | 2021-09-05T01:30    | fails                |
      | immediate            | true     |                     | is not recorded for  |
      | telephone_resolution | false    |                     | is not applicable to |
      | scheduled            | false    |                     | fails                |
      | no_deployment        | false    |                     | is not applicable to |

  @finding @boundary
  Scenario Outline: An incident still waiting is not late before its time runs out
    # Due by midnight at the start of 5 September 2021, and not yet attended. The assessment date has
    # no time of day: on 5 September the incident is not yet late, on 6 September it is.
    Given the assessment date is <assessed>
    And an incident record "INC-1" with:
      | grade             | priority         |
      | attended          | false            |
      | reported_at       | 2021-09-04T23:00 |
      | attendance_due_by | 2021-09-05T00:00 |
    When the assessment runs
    Then record INC-1 <outcome> rule RES-011

    Examples:
      | assessed   | outcome |
      | 2021-09-04 | passes  |
      | 2021-09-05 | passes  |
      | 2021-09-06 | fails   |

  @finding
  Scenario: Victims are told when attendance is delayed
    Given these incident records:
      | incident_ref | attendance_delayed | victim_updated_about_delay |
      | INC-1        | true               | true                       |
      | INC-2        | true               | false                      |
      | INC-3        | false              |                            |
    When the assessment runs
    Then rule RES-012 is not met
    And rule RES-012 lists records INC-2
    And record INC-3 is not applicable to rule RES-012

  @boundary
  Scenario Outline: A practice the force attests to counts only with a yes, evidence, and a review in the last year
    Given these attestation records:
      | attestation_ref | question   | scope       | answer | evidence_ref     | last_reviewed_on |
      | YES             | <question> | whole force | yes    | Board minutes 21 | 2021-04-01       |
      | NO              | <question> | whole force | no     | Board minutes 21 | 2021-10-01       |
      | NO-EVIDENCE     | <question> | whole force | yes    |                  | 2021-10-01       |
      | STALE           | <question> | whole force | yes    | Board minutes 20 | 2021-03-31       |
      | UNDATED         | <question> | whole force | yes    | Board minutes 21 |                  |
    When the assessment runs
    Then rule <rule> has 5 applicable, 1 compliant, 3 non-compliant and 1 not recorded records
    And rule <rule> lists records NO, NO-EVIDENCE, STALE and UNDATED

    Examples:
      | rule    | question                                |
      | RES-013 | response_times_reportable               |
      | RES-017 | mental_health_crisis_arrangements       |
      | RES-050 | attendance_policy_consultation          |
      | RES-051 | attendance_policy_quality_assurance     |
      | RES-052 | direct_crime_recording_attendance_known |
      | RES-053 | health_partner_demand_reduction         |
      | RES-054 | partner_agency_diversion_guidance       |

  Scenario Outline: A call-handling question that applies to some calls: yes passes, no fails, a blank is not recorded
    Given these call records:
      | call_ref | <applies_when> | <answer_field> |
      | YES      | true           | true           |
      | NO       | true           | false          |
      | BLANK    | true           |                |
      | ELSE     | false          | false          |
    When the assessment runs
    Then record YES passes rule <rule>
    And record NO fails rule <rule>
    And record BLANK is not recorded for rule <rule> because of its <answer_field>
    And record ELSE is not applicable to rule <rule>

    Examples:
      | rule    | applies_when            | answer_field                    |
      | RES-002 | crime_reported          | crime_prevention_advice_given   |
      | RES-003 | evidence_to_preserve    | scene_preservation_advice_given |
      | RES-020 | domestic_abuse_reported | domestic_abuse_script_used      |

  Scenario Outline: An incident question that applies to some incidents: yes passes, no fails, a blank is not recorded
    Given these incident records:
      | incident_ref | <applies_when> | <answer_field> |
      | YES          | true           | true           |
      | NO           | true           | false          |
      | BLANK        | true           |                |
      | ELSE         | false          | false          |
    When the assessment runs
    Then rule <rule> has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records
    And rule <rule> lists records NO and BLANK

    Examples:
      | rule    | applies_when         | answer_field                    |
      | RES-018 | appointment_suitable | scheduled_appointment_offered   |
      | RES-019 | grade_changed        | grade_change_rationale_recorded |

  @finding
  Scenario: Every incident records the reason for the attendance decision
    Given these incident records:
      | incident_ref | grade                | attendance_decision_rationale_recorded |
      | INC-1        | priority             | true                                   |
      | INC-2        | telephone_resolution | false                                  |
      | INC-3        | scheduled            |                                        |
    When the assessment runs
    Then rule RES-015 lists records INC-2, INC-3
    And record INC-3 is not recorded for rule RES-015

  @area_for_improvement
  Scenario: Attended incidents carry both the report time and the arrival time
    Given these incident records:
      | incident_ref | attended | reported_at      | arrived_at       |
      | INC-1        | true     | 2021-09-04T23:40 | 2021-09-04T23:52 |
      | INC-2        | true     | 2021-09-04T23:40 |                  |
      | INC-3        | false    | 2021-09-04T23:40 |                  |
      | INC-4        |          | 2021-09-04T23:40 |                  |
    When the assessment runs
    Then record INC-1 passes rule RES-014
    And record INC-2 fails rule RES-014 because of its arrived_at
    And record INC-3 is not applicable to rule RES-014
    And record INC-4 is not recorded for rule RES-014

  @area_for_improvement @from_report
  Scenario: Adults reported missing from hospital were not always recorded on the missing person system
    Given these missing_person_report records:
      | report_ref | recorded_on_missing_person_system |
      | MP-1       | true                              |
      | MP-2       | false                             |
      | MP-3       |                                   |
    When the assessment runs
    Then rule RES-016 is not met
    And rule RES-016 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records
