package mock

// publicRoutes maps each operationId of spec/public.yaml that c3dmock fakes to
// its handler. Operations absent here answer 501 (after auth and validation);
// operations marked x-c3d-dead answer 404 as the vendor does.
func publicRoutes(s *Server) map[string]apiFunc {
	st := s.store
	return map[string]apiFunc{
		// auth
		"login":             login(st, s.cookieValue),
		"getCurrentSession": getCurrentSession(st),
		"whoami":            whoami(st),
		// organizations
		"getOrganization":         getOrganization(st),
		"listOrganizationTags":    listOrganizationTags(st),
		"listAllOrganizationTags": listOrganizationTags(st),
		"createOrganizationTag":   createOrganizationTag(st),
		// projects and scenes
		"getProject":        getProject(st),
		"createProject":     createProject(st, s.now),
		"updateProject":     updateProject(st, s.now),
		"deleteProject":     deleteProject(st),
		"listProjectScenes": listProjectScenes(st),
		"getScene":          getScene(st),
		// dynamic objects
		"listVersionObjects":  listVersionObjects(st),
		"listProjectObjects":  listProjectObjects(st),
		"deleteVersionObject": deleteVersionObject(st),
		// objectives
		"listObjectives": listObjectives(st),
		"getObjective":   getObjective(st),
		// sessions (handle_sessions.go)
		"sessionPaginatedListQuery": sessionPaginatedListQuery(s.queries),
		"sessionSingleQuery":        sessionSingleQuery(s.queries),
		"sessionSingleProjectQuery": sessionSingleProjectQuery(s.queries),
		"sessionMultiQuery":         sessionMultiQuery(s.queries),
		"participantSessionsQuery":  participantSessionsQuery(s.queries),
		"getSessionMetadata":        getSessionMetadata(s.queries),
		"sessionMetadataLookup":     sessionMetadataLookup(s.queries),
		// slicer (handle_analytics.go)
		"getSlicerOptions":                        getSlicerOptions(),
		"slicerPropertyNameQuery":                 slicerPropertyNameQuery(s.queries),
		"propertyNameQuery":                       slicerPropertyNameQuery(s.queries),
		"slicerFieldValuesQuery":                  slicerFieldValuesQuery(s.queries),
		"slicerQuery":                             slicerQuery(s.queries),
		"slicerObjectMetricQuery":                 slicerObjectMetricQuery(s.queries),
		"slicerSingleObjectPerSessionMetricQuery": slicerSingleObjectPerSessionMetricQuery(s.queries),
		// objective results (handle_objectives_results.go)
		"getSessionObjectiveData":  getSessionObjectiveData(s.queries),
		"objectiveResultQuery":     objectiveResultQuery(s.queries),
		"objectiveStepResultQuery": objectiveStepResultQuery(s.queries),
		// ExitPoll (handle_exitpoll.go)
		"listQuestionSetsByProject":     listQuestionSetsByProject(st),
		"listProjectQuestionSets":       listProjectQuestionSets(st),
		"getQuestionSetVersions":        getQuestionSetVersions(st),
		"deleteQuestionSet":             deleteQuestionSet(st),
		"listQuestionSetResponses":      listQuestionSetResponses(s.queries),
		"questionSetResponseDump":       questionSetResponseDump(s.queries),
		"questionSetResponseCountQuery": questionSetResponseCountQuery(s.queries),
		// administration (handle_admin_*.go; routes inferred, issue 7)
		"listOrganizationApiKeys":    listOrganizationAPIKeys(st),
		"createOrganizationApiKey":   createOrganizationAPIKey(st, s.now),
		"revokeOrganizationApiKey":   revokeOrganizationAPIKey(st),
		"listOrganizationMembers":    listMembers(st, "organization"),
		"addOrganizationMember":      addMember(st, "organization"),
		"updateOrganizationMember":   updateMember(st, "organization"),
		"removeOrganizationMember":   removeMember(st, "organization"),
		"listProjectMembers":         listMembers(st, "project"),
		"addProjectMember":           addMember(st, "project"),
		"updateProjectMember":        updateMember(st, "project"),
		"removeProjectMember":        removeMember(st, "project"),
		"listAuditLogs":              listAuditLogs(st),
		"listLmsConfigurations":      listRows(st.LMSConfigurations(), organizationOf),
		"createLmsConfiguration":     createLMSConfiguration(st, s.now),
		"getLmsConfiguration":        getRow(st.LMSConfigurations(), organizationOf, "lmsConfigurationId"),
		"updateLmsConfiguration":     updateLMSConfiguration(st, s.now),
		"deleteLmsConfiguration":     deleteRow(st.LMSConfigurations(), organizationOf, "lmsConfigurationId"),
		"getDomainSettings":          getDomainSettings(st),
		"updateDomainSettings":       updateDomainSettings(st),
		"getOrganizationSettings":    getOrganizationSettings(st),
		"updateOrganizationSettings": updateOrganizationSettings(st),
		"getProjectSettings":         getProjectSettings(st),
		"updateProjectSettings":      updateProjectSettings(st, s.now),
		"getCurrentUser":             getCurrentUser(st),
		"updateCurrentUser":          updateCurrentUser(st),
		"updateCurrentUserPassword":  updateCurrentUserPassword(st),
		// session tags, raw data and exports (handle_session_tags.go, handle_rawdata.go, handle_exports.go)
		"setSessionTag":                 setSessionTag(st),
		"projectSessionJsonRequest":     sessionJSONRequest(s.queries, false),
		"versionSessionJsonRequest":     sessionJSONRequest(s.queries, true),
		"projectSessionJsonZip":         sessionJSONZip(s.queries, false),
		"versionSessionJsonZip":         sessionJSONZip(s.queries, true),
		"getVersionSessionGaze":         getVersionSessionGaze(s.queries),
		"getProjectSessionReport":       sessionReport(st, s.queries, false),
		"getVersionSessionReport":       sessionReport(st, s.queries, true),
		"createVersionSessionsReport":   createVersionSessionsReport(st, s.queries),
		"createSessionReportEmail":      createSessionReportEmail(st, s.queries, s.now),
		"getObjectiveVersionResultsCsv": getObjectiveVersionResultsCsv(st),
		// scene version files (handle_files.go)
		"getVersionSceneFile":          getVersionSceneFile(st),
		"getVersionOptimizedSceneFile": getVersionOptimizedSceneFile(st),
		"getVersionScreenshotSmall":    getVersionScreenshotSmall(st),
		"getVersionScreenshot":         getVersionScreenshot(st),
		// objective writes (handle_objectives_write.go)
		"createObjective":        createObjective(st, s.now),
		"createObjectiveVersion": createObjectiveVersion(st, s.now),
		"deleteObjective":        deleteObjective(st),
		"getVersionObjective":    getVersionObjective(st),
		// remote controls (handle_remote.go)
		"listRemoteVariables":       listRows(st.RemoteVariables(), projectOf),
		"createRemoteVariable":      putRemoteVariable(st),
		"getRemoteVariable":         getRow(st.RemoteVariables(), projectOf, "remoteVariableId"),
		"updateRemoteVariable":      putRemoteVariable(st),
		"deleteRemoteVariable":      deleteRow(st.RemoteVariables(), projectOf, "remoteVariableId"),
		"listRemoteConfigurations":  listRows(st.RemoteConfigurations(), projectOf),
		"createRemoteConfiguration": putRemoteConfiguration(st),
		"getRemoteConfiguration":    getRow(st.RemoteConfigurations(), projectOf, "remoteConfigurationId"),
		"updateRemoteConfiguration": putRemoteConfiguration(st),
		"deleteRemoteConfiguration": deleteRow(st.RemoteConfigurations(), projectOf, "remoteConfigurationId"),
		"listAbTests":               listRows(st.ABTests(), projectOf),
		"createAbTest":              putAbTest(st),
		"getAbTest":                 getRow(st.ABTests(), projectOf, "abTestId"),
		"updateAbTest":              putAbTest(st),
		"deleteAbTest":              deleteRow(st.ABTests(), projectOf, "abTestId"),
		// widgets and dashboards (handle_dashboards.go)
		"listWidgets":     listRows(st.Widgets(), projectOf),
		"createWidget":    putWidget(st),
		"getWidget":       getRow(st.Widgets(), projectOf, "widgetId"),
		"updateWidget":    putWidget(st),
		"deleteWidget":    deleteRow(st.Widgets(), projectOf, "widgetId"),
		"listDashboards":  listRows(st.Dashboards(), projectOf),
		"createDashboard": putDashboard(st),
		"getDashboard":    getRow(st.Dashboards(), projectOf, "dashboardId"),
		"updateDashboard": putDashboard(st),
		"deleteDashboard": deleteRow(st.Dashboards(), projectOf, "dashboardId"),
		// media library (handle_media.go)
		"listMedia":                 listMedia(st),
		"uploadMedia":               uploadMedia(st),
		"getMediaFile":              getMediaFile(st),
		"listMediaPointsOfInterest": listMediaPointsOfInterest(st),
		"deleteMedia":               deleteRow(st.Media(), projectOf, "mediaId"),
		// app reviews (handle_reviews.go)
		"importReviews":    importReviews(st),
		"listReviews":      listReviews(st),
		"getSessionReview": getSessionReview(st),
	}
}

// ImplementedOperations reports the public operationIds that have a handler.
func ImplementedOperations() map[string]bool {
	out := map[string]bool{}
	for id := range publicRoutes(&Server{}) {
		out[id] = true
	}
	return out
}
